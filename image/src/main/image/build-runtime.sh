#!/usr/bin/env bash
# Lays out the image's root file system, minus keywatch's jar, under $2 (Maven: target/image-root):
#   /opt/java                  a jlink-ed Java runtime made from the build JDK's jmods ($1 = its java.home)
#   /lib, /lib64, /usr/lib     the shared libraries that runtime (and RocksDB's JNI library) load, copied from
#                              this build machine as `ldd` resolves them: glibc, libz, libstdc++, libgcc_s
#   /etc/passwd, /etc/group    the unprivileged user keywatch runs as (uid/gid 65532, as distroless' nonroot)
#   /var/lib/keywatch, /tmp    the state directory (a VOLUME) and the JVM's temporary directory
#   /bin/sh                    dash, for the embedded PostgreSQL of `keywatch run` only
# The image is FROM scratch: no registry is reachable here to pull a base image, and a runtime cut to keywatch's
# modules is smaller than any JRE image. No package manager, no tools; one shell, for the embedded PostgreSQL.
set -euo pipefail
java_home="$1"
root="$2"
modules="$3"
app_jar="${4:-}"

rm -rf "$root"
mkdir -p "$root/opt" "$root/etc" "$root/var/lib/keywatch" "$root/tmp"

"$java_home/bin/jlink" --module-path "$java_home/jmods" --add-modules "$modules" \
  --strip-debug --no-header-files --no-man-pages --compress=2 --output "$root/opt/java"

# Debian's JDK keeps its CA store outside the jmods (/etc/ssl/certs/java/cacerts): without it no HTTPS (webhooks,
# OIDC, Kafka over TLS) could verify a server. Take the build machine's, as distroless takes Debian's.
if [ ! -s "$root/opt/java/lib/security/cacerts" ]; then
  cacerts="$(readlink -f "$java_home/lib/security/cacerts" 2>/dev/null || true)"
  [ -s "$cacerts" ] || cacerts=/etc/ssl/certs/java/cacerts
  cp "$cacerts" "$root/opt/java/lib/security/cacerts"
fi

# the libraries the runtime's own natives load; java.desktop's graphics natives (kept for java.beans) are never
# loaded by a headless server, so their X11/font libraries stay out
libs_of() {
  ldd "$@" 2>/dev/null | awk '$2 == "=>" && $3 ~ /^\// { print $3 } $1 ~ /^\// && $2 ~ /^\(0x/ { print $1 }'
}
natives=("$root/opt/java/bin/java")
for so in "$root"/opt/java/lib/*.so "$root"/opt/java/lib/server/*.so; do
  case "$(basename "$so")" in
    libawt*|libfontmanager*|libjawt*|liblcms*|libmlib_image*|libjsound*|libsplashscreen*|libjavajpeg*) ;;
    *) natives+=("$so") ;;
  esac
done
# RocksDB (Kafka Streams' state stores) extracts its JNI library at run time: it needs libstdc++ and libgcc_s
if [ -n "$app_jar" ]; then
  scratch="$(mktemp -d)"
  trap 'rm -rf "$scratch"' EXIT
  (cd "$scratch" && "$java_home/bin/jar" xf "$app_jar" librocksdbjni-linux64.so)
  natives+=("$scratch/librocksdbjni-linux64.so")
fi
# the embedded PostgreSQL of `keywatch run` starts initdb and pg_ctl, which start their children through /bin/sh:
# Debian's dash where there is one (it needs only libc), else the machine's sh with its libraries. The services
# (api, streams, simulate) never run a shell.
shell="$(readlink -f /bin/dash 2>/dev/null || true)"
[ -x "$shell" ] || shell="$(readlink -f /bin/sh)"
mkdir -p "$root/bin"
cp "$shell" "$root/bin/sh"
natives+=("$shell")
for lib in $(libs_of "${natives[@]}" | grep -v "^$root" | sort -u); do
  real="$(readlink -f "$lib")"
  mkdir -p "$root$(dirname "$lib")"
  cp "$real" "$root$lib"
done

cat > "$root/etc/passwd" <<'PASSWD'
root:x:0:0:root:/root:/sbin/nologin
keywatch:x:65532:65532:keywatch:/var/lib/keywatch:/sbin/nologin
PASSWD
cat > "$root/etc/group" <<'GROUP'
root:x:0:
keywatch:x:65532:
GROUP
# glibc resolves names from these files only (no NSS plugins in the image); container runtimes mount their own
# /etc/hosts over this one, which serves where none does (the embedded PostgreSQL of `run` binds "localhost")
echo "hosts: files dns" > "$root/etc/nsswitch.conf"
printf '127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n' > "$root/etc/hosts"

