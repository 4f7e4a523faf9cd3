package io.keywatch.streams.aggregate;

import io.keywatch.events.AlertRule;
import io.keywatch.events.AuthResult;
import io.keywatch.events.Severity;
import io.keywatch.events.UsageEvent;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One key's usage in one minute, as kept in the window store: counts, capped value counts for evidence, the key's
 * volume baseline as it stood when the minute opened, and which alerts this minute has already raised.
 *
 * <p>Mutable on purpose: the processor reads it, adds one event and writes it back, once per event. Callers outside
 * the topology see the immutable {@link MinuteUsage} instead.
 */
public final class MinuteAggregate {

    /** Distinct client IPs counted exactly per key and minute; beyond this the count saturates and is flagged. */
    public static final int MAX_CLIENT_IPS = 256;
    public static final int MAX_COUNTRIES = 64;
    public static final int MAX_PATHS = 32;

    private static final AuthResult[] AUTH_RESULTS = AuthResult.values();
    private static final Severity[] SEVERITIES = Severity.values();

    long requests;
    long errors;
    final long[] authResults;
    final CappedCounts clientIps;
    final CappedCounts countries;
    final CappedCounts paths;
    // baseline snapshot: taken when the minute opens, so the minute itself never pollutes what it is compared with
    int baselineMinutes = -1;
    double baselineMean;
    double baselineDeviation;
    // per rule: 0 = not alerted, otherwise the ordinal + 1 of the highest severity already emitted this minute
    final byte[] alerted;

    public MinuteAggregate() {
        this(new long[AUTH_RESULTS.length], new CappedCounts(MAX_CLIENT_IPS), new CappedCounts(MAX_COUNTRIES),
                new CappedCounts(MAX_PATHS), new byte[AlertRule.values().length]);
    }

    private MinuteAggregate(long[] authResults, CappedCounts clientIps, CappedCounts countries, CappedCounts paths,
                            byte[] alerted) {
        this.authResults = authResults;
        this.clientIps = clientIps;
        this.countries = countries;
        this.paths = paths;
        this.alerted = alerted;
    }

    public void add(UsageEvent event) {
        requests++;
        if (event.status() != null && event.status() >= 500) {
            errors++;
        }
        authResults[event.authResult().ordinal()]++;
        clientIps.add(event.clientIp());
        countries.add(event.country());
        paths.add(event.path());
    }

    public void setBaseline(VolumeBaseline baseline) {
        baselineMinutes = baseline.observedMinutes();
        baselineMean = baseline.mean();
        baselineDeviation = baseline.deviation();
    }

    public long requests() {
        return requests;
    }

    public long errors() {
        return errors;
    }

    public long authFailures() {
        return authResults[AuthResult.INVALID_SECRET.ordinal()];
    }

    public long authResultCount(AuthResult result) {
        return authResults[result.ordinal()];
    }

    public CappedCounts clientIps() {
        return clientIps;
    }

    public CappedCounts countries() {
        return countries;
    }

    public CappedCounts paths() {
        return paths;
    }

    /** True when the key's baseline was known when this minute opened (false for a minute first seen late). */
    public boolean hasBaseline() {
        return baselineMinutes >= 0;
    }

    public int baselineMinutes() {
        return Math.max(baselineMinutes, 0);
    }

    public double baselineMean() {
        return baselineMean;
    }

    public double baselineDeviation() {
        return baselineDeviation;
    }

    /** The highest severity already emitted for this rule in this minute, or null. */
    public Severity alerted(AlertRule rule) {
        byte mark = alerted[rule.ordinal()];
        return mark == 0 ? null : SEVERITIES[mark - 1];
    }

    public void markAlerted(AlertRule rule, Severity severity) {
        alerted[rule.ordinal()] = (byte) (severity.ordinal() + 1);
    }

    /** Counts per auth result, only those that occurred, in enum order. */
    public Map<String, Long> authResultCounts() {
        Map<String, Long> counts = new LinkedHashMap<>();
        for (AuthResult result : AUTH_RESULTS) {
            long count = authResults[result.ordinal()];
            if (count > 0) {
                counts.put(result.name(), count);
            }
        }
        return counts;
    }

    void writeTo(DataOutput out) throws IOException {
        out.writeLong(requests);
        out.writeLong(errors);
        out.writeByte(authResults.length);
        for (long count : authResults) {
            out.writeLong(count);
        }
        clientIps.writeTo(out);
        countries.writeTo(out);
        paths.writeTo(out);
        out.writeInt(baselineMinutes);
        out.writeDouble(baselineMean);
        out.writeDouble(baselineDeviation);
        out.writeByte(alerted.length);
        out.write(alerted);
    }

    static MinuteAggregate readFrom(DataInput in) throws IOException {
        long requests = in.readLong();
        long errors = in.readLong();
        // sized by the current enums; a value written by an older build with fewer constants still reads
        long[] authResults = new long[AUTH_RESULTS.length];
        int authCount = in.readUnsignedByte();
        for (int i = 0; i < authCount; i++) {
            long count = in.readLong();
            if (i < authResults.length) {
                authResults[i] = count;
            }
        }
        CappedCounts clientIps = CappedCounts.readFrom(in, MAX_CLIENT_IPS);
        CappedCounts countries = CappedCounts.readFrom(in, MAX_COUNTRIES);
        CappedCounts paths = CappedCounts.readFrom(in, MAX_PATHS);
        int baselineMinutes = in.readInt();
        double baselineMean = in.readDouble();
        double baselineDeviation = in.readDouble();
        byte[] alerted = new byte[AlertRule.values().length];
        int ruleCount = in.readUnsignedByte();
        for (int i = 0; i < ruleCount; i++) {
            byte mark = in.readByte();
            if (i < alerted.length) {
                alerted[i] = mark;
            }
        }
        MinuteAggregate aggregate = new MinuteAggregate(authResults, clientIps, countries, paths, alerted);
        aggregate.requests = requests;
        aggregate.errors = errors;
        aggregate.baselineMinutes = baselineMinutes;
        aggregate.baselineMean = baselineMean;
        aggregate.baselineDeviation = baselineDeviation;
        return aggregate;
    }
}
