package dev.slipway;

import io.quarkus.picocli.runtime.PicocliRunner;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.annotations.QuarkusMain;
import java.util.Set;

/**
 * One artifact, several roles. Only the long-running roles open an HTTP port; every other subcommand is a
 * plain terminal tool, so it must neither bind 8080 nor contact Kubernetes.
 */
@QuarkusMain
public final class SlipwayMain {

    private static final Set<String> SERVER_ROLES = Set.of("operator", "demo", "maintenance-page");

    private SlipwayMain() {
    }

    public static void main(String... args) {
        if (args.length == 0 || !SERVER_ROLES.contains(args[0])) {
            System.setProperty("quarkus.http.host-enabled", "false");
            System.setProperty("quarkus.log.category.\"io.quarkus\".level", "WARN");
        }
        Quarkus.run(PicocliRunner.class, args);
    }
}
