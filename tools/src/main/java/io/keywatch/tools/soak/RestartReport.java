package io.keywatch.tools.soak;

import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/** The restart figures of a run ({@link RestartProbe}) as a table and as medians per way of stopping. */
final class RestartReport {

    private RestartReport() {
    }

    static void print(List<RestartProbe.Figure> figures, PrintWriter out) {
        out.printf("  %-8s %-10s %16s %19s%n", "restart", "stop", "to RUNNING (s)", "to detecting (s)");
        for (RestartProbe.Figure figure : figures) {
            out.printf("  %-8d %-10s %16.2f %19.2f%n", figure.restart(), figure.stop(), figure.secondsToRunning(),
                    figure.secondsToDetecting());
        }
        medians(figures).forEach((stop, median) -> out.printf("  median after %s: RUNNING in %.2f s, detecting again "
                + "in %.2f s%n", stop, median.get("secondsToRunning"), median.get("secondsToDetecting")));
    }

    /** Per way of stopping (SIGKILL, SIGTERM): the median seconds to RUNNING and to detecting. */
    static Map<String, Map<String, Double>> medians(List<RestartProbe.Figure> figures) {
        Map<String, Map<String, Double>> medians = new LinkedHashMap<>();
        for (String stop : List.of(RestartProbe.KILL, RestartProbe.TERM)) {
            List<RestartProbe.Figure> of = figures.stream().filter(f -> f.stop().equals(stop)).toList();
            if (!of.isEmpty()) {
                Map<String, Double> median = new LinkedHashMap<>();
                median.put("secondsToRunning", median(of, RestartProbe.Figure::secondsToRunning));
                median.put("secondsToDetecting", median(of, RestartProbe.Figure::secondsToDetecting));
                medians.put(stop, median);
            }
        }
        return medians;
    }

    /** The median; a restart that never got there (NaN) counts as the longest. */
    static double median(List<RestartProbe.Figure> figures, ToDoubleFunction<RestartProbe.Figure> value) {
        double[] sorted = figures.stream().mapToDouble(value)
                .map(v -> Double.isNaN(v) ? Double.POSITIVE_INFINITY : v).sorted().toArray();
        int n = sorted.length;
        double median = n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
        return Double.isInfinite(median) ? Double.NaN : median;
    }
}
