package dev.slipway.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * P6: the packaged operator ({@code quarkus-run.jar operator}) from process start to {@code /q/health/ready}
 * answering 200, and its resident memory once idle, against a fabric8 CRUD API server on loopback with the CRD applied
 * and no resources.
 */
final class OperatorStartBenchmarks {

    private static final int RUNS = 5;
    private static final Duration IDLE = Duration.ofSeconds(10);
    private static final Pattern STARTED_IN = Pattern.compile("started in (\\d+\\.\\d+)s");

    private OperatorStartBenchmarks() {
    }

    static List<Row> run(Path jar, List<String> notes) throws Exception {
        Path archive = Files.createTempDirectory("slipway-bench-appcds").resolve("app-cds.jsa");
        try (ApiServer apiServer = ApiServer.start()) {
            createClassDataArchive(jar, archive);
            List<String> asInTheImage = new ArrayList<>(OperatorProcess.AS_IN_CONTAINER);
            asInTheImage.add("-XX:SharedArchiveFile=" + archive);
            List<Row> rows = new ArrayList<>();
            rows.addAll(measure(jar, apiServer.url(), "as in the container image (512 MiB limit, AppCDS archive)",
                    asInTheImage, notes));
            rows.addAll(measure(jar, apiServer.url(), "as in the container, without the AppCDS archive",
                    OperatorProcess.AS_IN_CONTAINER, notes));
            rows.addAll(measure(jar, apiServer.url(), "JVM defaults on this machine", List.of(), notes));
            notes.add("P6: `java <options> -jar target/quarkus-app/quarkus-run.jar operator`, timed from launching the"
                    + " process to the first 200 from /q/health/ready (polled every 20 ms); RSS is VmRSS from"
                    + " /proc/<pid>/status after " + IDLE.toSeconds() + " s idle with no ManagedUpgrade resources."
                    + " \"As in the container\" = the Dockerfile's options " + OperatorProcess.DOCKERFILE_OPTIONS
                    + " plus " + OperatorProcess.CONTAINER_LIMIT + " standing in for the chart's 512Mi memory limit"
                    + " (in the pod the JVM sizes its heap from the limit and, below 1792 MB, picks the Serial"
                    + " collector; -XX:MaxRAM alone would leave G1 on this machine); \"JVM defaults\" = no options on this"
                    + " 24 GiB machine, where the initial heap alone is 1/64 of the memory. The API server is"
                    + " fabric8's CRUD mock on loopback, so no network latency is included. The AppCDS archive is"
                    + " made as the Dockerfile makes it at image build time (`java -XX:ArchiveClassesAtExit=app-cds.jsa"
                    + " -Dquarkus.appcds.generate=true -jar quarkus-run.jar`: Quarkus boots once and exits), here with"
                    + " this machine's JVM, untimed.");
            return rows;
        } finally {
            Files.deleteIfExists(archive);
            Files.deleteIfExists(archive.getParent());
        }
    }

    /** The Dockerfile's RUN step: boot once, archive the classes loaded. */
    private static void createClassDataArchive(Path jar, Path archive) throws Exception {
        Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:ArchiveClassesAtExit=" + archive, "-Dquarkus.appcds.generate=true", "-jar", jar.toString())
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        boolean exited = process.waitFor(2, java.util.concurrent.TimeUnit.MINUTES);
        if (!exited) {
            process.destroyForcibly();
        }
        if (!exited || process.exitValue() != 0 || !Files.exists(archive)) {
            throw new IllegalStateException("could not create the AppCDS archive " + archive);
        }
    }

    private static List<Row> measure(Path jar, String apiServerUrl, String how, List<String> jvmOptions,
            List<String> notes) throws Exception {
        List<Double> startMillis = new ArrayList<>();
        List<Double> bootMillis = new ArrayList<>();
        List<Double> idleRssMiB = new ArrayList<>();
        for (int i = 0; i < RUNS; i++) {
            try (OperatorProcess operator = OperatorProcess.launch(jar, apiServerUrl, jvmOptions)) {
                startMillis.add(operator.awaitReady());
                Thread.sleep(IDLE.toMillis());
                bootMillis.add(quarkusStartedMillis(operator.log()));
                idleRssMiB.add(operator.residentMiB());
            }
        }
        notes.add("P6 (" + how + "): Quarkus itself logged \"started in\" after " + new Samples(bootMillis, "ms").describe()
                + "; the rest of start-to-ready is the JVM launch, the `operator` command starting the controllers"
                + " (informers listing and watching) and the first health probe.");
        return List.of(
                Row.absolute("P6", "operator start to readiness, " + how, new Samples(startMillis, "ms"),
                        Target.atMost(3000, "ms")),
                Row.absolute("P6", "idle RSS after readiness, " + how, new Samples(idleRssMiB, "MiB"),
                        Target.atMost(200, "MiB")));
    }

    /** From Quarkus's "... started in 1.234s." line. */
    private static double quarkusStartedMillis(String log) {
        Matcher started = STARTED_IN.matcher(log);
        if (!started.find()) {
            throw new IllegalStateException("no \"started in\" line in the operator's log:\n" + log);
        }
        return Double.parseDouble(started.group(1)) * 1000;
    }
}
