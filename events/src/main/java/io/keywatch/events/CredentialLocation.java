package io.keywatch.events;

/** Where the caller put the key in its request. */
public enum CredentialLocation {
    HEADER,
    QUERY
}
