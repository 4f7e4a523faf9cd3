package io.keywatch.api.webhooks;

import io.keywatch.api.errors.InvalidInputException;
import io.keywatch.api.input.JsonFields;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The body of {@code POST /api/v1/webhooks}, bound by {@code JsonBodies.bind}: the URL (required; the SSRF guard
 * checks it after these cheap checks), the event types (missing: every type), and the key filters and description.
 */
public record SubscriptionRequest(String url, List<String> eventTypes, String owner, String service,
                                  String description) {

    static final int MAX_URL = 2_000;
    static final int MAX_DESCRIPTION = 500;
    /** owner, service and each event type's name */
    static final int MAX_FILTER = 200;
    static final int MAX_EVENT_TYPES = 20;

    public SubscriptionRequest {
        url = JsonFields.required("url", JsonFields.checkedText("url", url, MAX_URL));
        eventTypes = eventTypes == null ? null : List.copyOf(names(eventTypes));
        owner = JsonFields.checkedText("owner", owner, MAX_FILTER);
        service = JsonFields.checkedText("service", service, MAX_FILTER);
        description = JsonFields.checkedFreeText("description", description, MAX_DESCRIPTION);
    }

    /** The event types asked for, each once, in the order given; every type when the field was left out. */
    public List<WebhookEventType> types() {
        if (eventTypes == null) {
            return List.of(WebhookEventType.values());
        }
        Set<WebhookEventType> types = new LinkedHashSet<>();
        eventTypes.forEach(name -> types.add(WebhookEventType.parse(name)));
        return new ArrayList<>(types);
    }

    /** A non-empty array of wire names, each checked and known. */
    private static List<String> names(List<String> items) {
        String expected = "eventTypes must be a non-empty array of "
                + Arrays.stream(WebhookEventType.values()).map(WebhookEventType::wireName).toList();
        if (items.isEmpty()) {
            throw new InvalidInputException(expected);
        }
        if (items.size() > MAX_EVENT_TYPES) {
            throw new InvalidInputException(expected + ", at most " + MAX_EVENT_TYPES + " entries");
        }
        List<String> names = new ArrayList<>();
        for (String item : items) {
            if (item == null) {
                throw new InvalidInputException(expected);
            }
            String name = JsonFields.checkedText("eventTypes", item, MAX_FILTER);
            try {
                WebhookEventType.parse(name);
            } catch (IllegalArgumentException e) {
                throw new InvalidInputException("eventTypes: " + e.getMessage());
            }
            names.add(name);
        }
        return names;
    }
}
