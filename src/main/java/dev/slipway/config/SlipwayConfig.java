package dev.slipway.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** Operator-wide settings ({@code slipway.*}); the Helm chart sets them through environment variables. */
@ConfigMapping(prefix = "slipway")
public interface SlipwayConfig {

    Feed feed();

    Page page();

    Database database();

    LeaderElection leaderElection();

    Artifacts artifacts();

    Console console();

    /** Limits on every Release API request. */
    interface Feed {
        @WithDefault("10s")
        Duration connectTimeout();

        @WithDefault("30s")
        Duration requestTimeout();

        /** Largest feed document accepted (bytes). */
        @WithDefault("8388608")
        long maxFeedBytes();

        /** Largest migration bundle or schema snapshot accepted (bytes). */
        @WithDefault("268435456")
        long maxArtifactBytes();
    }

    /** The maintenance page that stands in for the application during an upgrade. */
    interface Page {
        /** Image of the page server: the operator's own image, run in maintenance-page mode. */
        @WithDefault("registry.example.com/slipway/slipway:0.1.0")
        String image();

        /** How long the page may take to become Ready before the upgrade is aborted. */
        @WithDefault("5m")
        Duration readyTimeout();

        /**
         * The operator's own image pull Secrets (the chart's {@code imagePullSecrets}, when its value
         * {@code page.copyImagePullSecrets} is on): copied from the operator's namespace into each application's
         * namespace for the page's pods. Empty: nothing is copied.
         */
        Optional<List<String>> operatorPullSecrets();
    }

    /** The application's database, during migrations. */
    interface Database {
        /**
         * How long a migration waits for another migrator (Flyway's advisory lock, say a CLI {@code migrate}) or for
         * a table another session holds, before the hop fails with a message saying so and nothing applied.
         */
        @WithDefault("2m")
        Duration lockTimeout();

        /**
         * The copy rate, in bytes per second, the backup preflight assumes to tell whether a backup (database size ÷
         * rate) and the migrations fit in the maintenance window. The default, 50 MiB/s, is conservative for a
         * TemplateClone file copy on network disks; measure your server's (benchmark P9) and set it.
         */
        @WithDefault("52428800")
        long backupThroughput();

        /**
         * How often a backup or restore another controller runs (the PgDump and pg_restore Jobs, a CloudNativePG
         * Backup) is looked at: nothing announces its end to the operator.
         */
        @WithDefault("5s")
        Duration backupPollInterval();
    }

    /** Leader election ({@code SLIPWAY_LEADER_ELECTION_ENABLED}, {@code SLIPWAY_LEADER_ELECTION_LEASE_NAME}). */
    interface LeaderElection {
        /** On in the Helm chart; off by default so a local run needs no Lease permission. */
        @WithDefault("false")
        boolean enabled();

        @WithDefault("slipway-leader")
        String leaseName();
    }

    /** Where the operator caches migration bundles and schema snapshots ({@code SLIPWAY_ARTIFACTS_*}). */
    interface Artifacts {
        /** A directory of its own (a volume in the chart): the store deletes its leftovers in it at start. */
        @WithDefault("${java.io.tmpdir}/slipway-artifacts")
        Path directory();

        /**
         * Cap on the extracted artifacts kept (bytes): beyond it the least recently used go, except those of upgrades
         * in progress. A download being unpacked needs room on top.
         */
        @WithDefault("33554432")
        long maxBytes();
    }

    /**
     * Who may use the console and the status API: bearer tokens checked with TokenReview, every read and action
     * with SubjectAccessReview (see kubernetes/access).
     */
    interface Console {
        /** Whether the admin console is served on the operator's HTTP port. */
        @WithDefault("false")
        boolean enabled();

        /**
         * How long a TokenReview or SubjectAccessReview answer is reused: a revoked RoleBinding takes effect after
         * at most this long.
         */
        @WithDefault("5s")
        Duration reviewCacheTtl();

        /** A console session ends after this long without a request. */
        @WithDefault("15m")
        Duration sessionIdle();

        /** A console session ends this long after sign-in, however busy. */
        @WithDefault("8h")
        Duration sessionAbsolute();

        TrustedProxy trustedProxy();

        /** An authenticating proxy in front of the operator whose user headers are believed. */
        interface TrustedProxy {
            @WithDefault("false")
            boolean enabled();

            /** CIDRs the proxy connects from; the headers of any other peer are ignored. */
            Optional<List<String>> addresses();

            @WithDefault("X-Forwarded-User")
            String userHeader();

            @WithDefault("X-Forwarded-Groups")
            String groupsHeader();
        }
    }
}
