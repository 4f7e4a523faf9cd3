package io.keywatch.tools.evaluate.labelled;

import io.keywatch.events.AlertRule;
import io.keywatch.tools.evaluate.labelled.PublicEvaluation.Result;
import io.keywatch.tools.evaluate.labelled.PublicEvaluation.SeriesResult;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** The public evaluation as markdown tables and as JSON-ready maps. */
public final class PublicReport {

    private static final List<String> GROUPS = Arrays.asList("tuning", "held-out", null);

    private PublicReport() {
    }

    public static void print(PrintWriter out, Result result) {
        String plain = result.baseline() == null ? null : result.baseline().get(0).baseline().label();
        out.println("### Volume rules, per group");
        out.println();
        out.println("| group | detector | series | silent series | windows | detected | time to detect (median / max) "
                + "| volume alerts | false alerts (bursts) | false pages (HIGH+) | false MEDIUM/LOW "
                + "| false alerts per 10,000 key-hours | false pages per 10,000 key-hours |");
        out.println("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        for (String group : GROUPS) {
            out.println(groupRow(group, "keywatch", result.volume(group)));
            if (plain != null) {
                out.println(groupRow(group, "baseline: " + plain, result.baselineScore(group)));
            }
        }
        out.println();
        out.println("### Volume rules, per series");
        out.println();
        out.println("| series | group | key-hours | windows | detected | time to detect (median) | volume alerts "
                + "| false alerts (bursts) | false pages (HIGH+) | per 10,000 key-hours "
                + "| baseline: detected, false alerts (pages) |");
        out.println("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        for (SeriesResult r : result.series()) {
            WindowScore s = r.volume();
            WindowScore b = r.baseline();
            out.println(String.format(Locale.ROOT,
                    "| %s%s | %s | %.0f | %d | %d | %s | %d | %d (%d) | %d | %.1f | %s |",
                    r.series().name(), r.series().divisor() > 1 ? " (/" + r.series().divisor() + ")" : "",
                    r.series().group(), s.keyHours(), s.windows(), s.detected(), duration(s.medianTimeToDetect()),
                    s.alerts(), s.falseAlerts(), s.falseBursts(), s.falsePages(), s.falseAlertsPer10kKeyHours(),
                    plain == null ? "-" : b.detected() + ", " + b.falseAlerts() + " (" + b.falsePages() + ")"));
        }
        if (plain != null) {
            out.println();
            out.println("### The rolling baseline, chosen on the tuning group only");
            out.println();
            out.println(String.format(Locale.ROOT, "Each setting over the tuning group, best first by windows "
                    + "detected less one per %d false alerts; the first is the baseline row above. An interval alerts "
                    + "when its count exceeds the mean + z sd of the preceding hours (after as many hours of history), "
                    + "once per burst, at its end; HIGH (a page) at or above %.0f requests a minute.",
                    RollingBaseline.FALSE_ALERTS_PER_WINDOW, result.baseline().get(0).baseline().floorPerMinute()));
            out.println();
            out.println("| z | hours | windows | detected | false alerts (bursts) | false pages | value |");
            out.println("| ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
            for (RollingBaseline.Trial trial : result.baseline().subList(0, Math.min(10, result.baseline().size()))) {
                WindowScore t = trial.score();
                out.println(String.format(Locale.ROOT, "| %.0f | %d | %d | %d | %d (%d) | %d | %.1f |",
                        trial.baseline().z(), trial.baseline().hours(), t.windows(), t.detected(), t.falseAlerts(),
                        t.falseBursts(), t.falsePages(), trial.value()));
            }
        }
        out.println();
        out.println("### Per rule (every rule that raised an alert, and the volume rules)");
        out.println();
        out.println("| rule | group | windows detected | alerts | false alerts | false pages (HIGH+) "
                + "| per 10,000 key-hours |");
        out.println("| --- | --- | ---: | ---: | ---: | ---: | ---: |");
        for (String group : GROUPS) {
            result.byRule(group).forEach((rule, s) -> out.println(String.format(Locale.ROOT,
                    "| %s | %s | %d of %d | %d | %d | %d | %.1f |", rule, group == null ? "all" : group, s.detected(),
                    s.windows(), s.alerts(), s.falseAlerts(), s.falsePages(), s.falseAlertsPer10kKeyHours())));
        }
        out.println();
        out.println(String.format(Locale.ROOT, "A window is detected by an alert that fired between its start and "
                + "%d min after its end; every other alert is a false alert; false alerts less than %d min apart "
                + "form one burst. Key-hours: each series is one key, for the hours it spans.",
                result.slack().toMinutes(), WindowScoring.BURST_GAP.toMinutes()));
        out.flush();
    }

    private static String groupRow(String group, String detector, WindowScore s) {
        return String.format(Locale.ROOT,
                "| %s | %s | %d | %d | %d | %d | %s / %s | %d | %d (%d) | %d | %d | %.1f | %.1f |",
                group == null ? "all" : group, detector, s.series(), s.silentSeries(), s.windows(), s.detected(),
                duration(s.medianTimeToDetect()), duration(s.maxTimeToDetect()), s.alerts(), s.falseAlerts(),
                s.falseBursts(), s.falsePages(), s.falseAlerts() - s.falsePages(), s.falseAlertsPer10kKeyHours(),
                s.falsePagesPer10kKeyHours());
    }

    public static Map<String, Object> toJson(Result result) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("slackMinutes", result.slack().toMinutes());
        Map<String, Object> groups = new LinkedHashMap<>();
        for (String group : GROUPS) {
            Map<String, Object> g = new LinkedHashMap<>();
            g.put("volume", score(result.volume(group)));
            Map<String, Object> rules = new LinkedHashMap<>();
            result.byRule(group).forEach((rule, s) -> rules.put(rule.name(), score(s)));
            g.put("byRule", rules);
            if (result.baseline() != null) {
                g.put("baseline", score(result.baselineScore(group)));
            }
            groups.put(group == null ? "all" : group, g);
        }
        json.put("groups", groups);
        if (result.baseline() != null) {
            json.put("baseline", result.baseline().stream().map(trial -> {
                Map<String, Object> t = new LinkedHashMap<>();
                t.put("z", trial.baseline().z());
                t.put("hours", trial.baseline().hours());
                t.put("floorPerMinute", trial.baseline().floorPerMinute());
                t.put("tuning", score(trial.score()));
                t.put("value", trial.value());
                return t;
            }).toList());
        }
        List<Map<String, Object>> series = new ArrayList<>();
        for (SeriesResult r : result.series()) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("name", r.series().name());
            row.put("group", r.series().group());
            row.put("keyId", r.series().series().keyId());
            row.put("divisor", r.series().divisor());
            row.put("events", r.events());
            row.put("replaySeconds", r.elapsed().toMillis() / 1000.0);
            row.put("volume", score(r.volume()));
            Map<String, Object> rules = new LinkedHashMap<>();
            r.byRule().entrySet().stream().sorted(Map.Entry.comparingByKey())
                    .filter(e -> e.getValue().alerts() > 0 || Raised.isVolumeRule(e.getKey()))
                    .forEach(e -> rules.put(e.getKey().name(), score(e.getValue())));
            row.put("byRule", rules);
            if (result.baseline() != null) {
                row.put("baseline", score(r.baseline()));
            }
            row.put("alerts", r.alerts().stream().map(a -> Map.of("id", a.id(), "rule", a.rule().name(),
                    "severity", a.severity().name(), "triggeredAt", a.at().toString())).toList());
            series.add(row);
        }
        json.put("series", series);
        return json;
    }

    private static Map<String, Object> score(WindowScore s) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("series", s.series());
        json.put("silentSeries", s.silentSeries());
        json.put("windows", s.windows());
        json.put("detected", s.detected());
        json.put("alerts", s.alerts());
        json.put("falseAlerts", s.falseAlerts());
        json.put("falseBursts", s.falseBursts());
        json.put("falsePages", s.falsePages());
        json.put("falsePagesPer10kKeyHours", Math.round(s.falsePagesPer10kKeyHours() * 10) / 10.0);
        json.put("keyHours", Math.round(s.keyHours() * 10) / 10.0);
        json.put("falseAlertsPer10kKeyHours", Math.round(s.falseAlertsPer10kKeyHours() * 10) / 10.0);
        json.put("medianTimeToDetectMinutes", s.medianTimeToDetect().map(d -> d.toSeconds() / 60.0).orElse(null));
        json.put("maxTimeToDetectMinutes", s.maxTimeToDetect().map(d -> d.toSeconds() / 60.0).orElse(null));
        return json;
    }

    /** A duration in minutes or hours, "-" when absent. */
    static String duration(Optional<Duration> duration) {
        if (duration.isEmpty()) {
            return "-";
        }
        long minutes = duration.get().toMinutes();
        return minutes < 120 ? minutes + " min" : String.format(Locale.ROOT, "%.1f h", minutes / 60.0);
    }
}
