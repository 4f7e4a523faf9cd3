package io.keywatch.api.http;

/** Checks one dependency; must answer within a couple of seconds and never throw. */
@FunctionalInterface
public interface HealthCheck {

    ComponentHealth check();
}
