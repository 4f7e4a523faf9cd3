package io.keywatch.standalone;

import java.io.PrintStream;

/** What a person needs to know once keywatch is up: where everything is and how to talk to it. */
record Banner(Standalone standalone) {

    void print(PrintStream out) {
        String api = standalone.httpScheme() + "://localhost:" + standalone.httpPort();
        out.println();
        out.println("keywatch is running");
        out.println("  Kafka bootstrap   " + standalone.kafkaBootstrap() + "   (publish usage events to keywatch.usage-events)");
        out.println("  PostgreSQL        " + standalone.postgresUrl());
        out.println("  Console           " + api + "/   (sign in with the admin token)");
        out.println("  API               " + api + "/api/v1/alerts");
        out.println("  Health            " + api + "/health  (probes: /health/live, /health/ready)");
        if (standalone.adminTokenGenerated()) {
            out.println("  Admin token       " + standalone.adminToken()
                    + "   (generated for this run; set KEYWATCH_ADMIN_TOKEN to choose one)");
        } else {
            out.println("  Admin token       from KEYWATCH_ADMIN_TOKEN");
        }
        out.println();
        out.println("Try:  curl -H 'Authorization: Bearer <admin token>' " + api + "/api/v1/alerts");
        out.println("Press Ctrl-C to stop.");
        out.println();
    }
}
