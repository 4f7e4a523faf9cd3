package io.keywatch.api.metrics;

import java.util.LinkedHashMap;
import java.util.Map;

/** A Prometheus text scrape read back: every sample by its series ({@code name{labels}}), for assertions. */
record Scrape(Map<String, Double> samples) {

    static Scrape parse(String text) {
        Map<String, Double> samples = new LinkedHashMap<>();
        for (String line : text.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            int space = line.lastIndexOf(' ');
            samples.put(line.substring(0, space), Double.parseDouble(line.substring(space + 1)));
        }
        return new Scrape(samples);
    }

    /** The sum of the samples of metric {@code name} whose labels include every {@code label="value"} given. */
    double sum(String name, String... labels) {
        double sum = 0;
        for (Map.Entry<String, Double> sample : samples.entrySet()) {
            if (matches(sample.getKey(), name, labels)) {
                sum += sample.getValue();
            }
        }
        return sum;
    }

    boolean has(String name) {
        return samples.keySet().stream().anyMatch(series -> matches(series, name));
    }

    private static boolean matches(String series, String name, String... labels) {
        if (!(series.equals(name) || series.startsWith(name + "{"))) {
            return false;
        }
        for (int i = 0; i < labels.length; i += 2) {
            if (!series.contains(labels[i] + "=\"" + labels[i + 1] + "\"")) {
                return false;
            }
        }
        return true;
    }
}
