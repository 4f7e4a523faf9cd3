package io.keywatch.api.webhooks;

import io.keywatch.api.errors.InvalidInputException;

/**
 * The body of {@code POST /api/v1/webhooks/{id}/rotate-secret}, bound by {@code JsonBodies.bindOptional}: how many
 * hours the replaced secret still signs, {@value SubscriptionStore#DEFAULT_GRACE_HOURS} when left out.
 */
public record SecretRotation(Integer graceHours) {

    static final String EXAMPLE = "{\"graceHours\":24}";

    public SecretRotation {
        if (graceHours == null) {
            graceHours = SubscriptionStore.DEFAULT_GRACE_HOURS;
        } else if (graceHours < 0 || graceHours > SubscriptionStore.MAX_GRACE_HOURS) {
            throw new InvalidInputException("graceHours must be a whole number of hours from 0 to "
                    + SubscriptionStore.MAX_GRACE_HOURS + ", e.g. " + EXAMPLE);
        }
    }
}
