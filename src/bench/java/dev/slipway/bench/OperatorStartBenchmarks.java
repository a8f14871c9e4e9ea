package dev.slipway.bench;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.concurrent.TimeUnit;
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
    private static final Duration READINESS_LIMIT = Duration.ofMinutes(2);
    private static final Pattern STARTED_IN = Pattern.compile("started in (\\d+\\.\\d+)s");
    /** The Dockerfile's JVM options, with the chart's memory limit standing in for the container's. */
    static final List<String> AS_IN_CONTAINER = List.of("-XX:MaxRAM=512m", "-XX:MaxRAMPercentage=75.0",
            "-Djava.util.logging.manager=org.jboss.logmanager.LogManager");
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

    private OperatorStartBenchmarks() {
    }

    static List<Row> run(Path jar, List<String> notes) throws Exception {
        KubernetesMockServer apiServer = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(),
                new KubernetesCrudDispatcher(), false);
        apiServer.init(InetAddress.getLoopbackAddress(), 0);
        try (KubernetesClient client = apiServer.createClient()) {
            applyCrd(client);
            String apiServerUrl = client.getMasterUrl().toString();
            List<Row> rows = new ArrayList<>();
            rows.addAll(measure(jar, apiServerUrl, "as in the container (512 MiB limit)", AS_IN_CONTAINER, notes));
            rows.addAll(measure(jar, apiServerUrl, "JVM defaults on this machine", List.of(), notes));
            notes.add("P6: `java <options> -jar target/quarkus-app/quarkus-run.jar operator`, timed from launching the"
                    + " process to the first 200 from /q/health/ready (polled every 20 ms); RSS is VmRSS from"
                    + " /proc/<pid>/status after " + IDLE.toSeconds() + " s idle with no ManagedUpgrade resources."
                    + " \"As in the container\" = the Dockerfile's options " + AS_IN_CONTAINER.subList(1, 3)
                    + " plus -XX:MaxRAM=512m standing in for the chart's 512Mi memory limit (the JVM then sizes its"
                    + " heap and picks its collector as it would in the pod); \"JVM defaults\" = no options on this"
                    + " 24 GiB machine, where the initial heap alone is 1/64 of the memory. The API server is"
                    + " fabric8's CRUD mock on loopback, so no network latency is included.");
            return rows;
        } finally {
            apiServer.destroy();
        }
    }

    private static List<Row> measure(Path jar, String apiServerUrl, String how, List<String> jvmOptions,
            List<String> notes) throws Exception {
        List<Double> startMillis = new ArrayList<>();
        List<Double> bootMillis = new ArrayList<>();
        List<Double> idleRssMiB = new ArrayList<>();
        for (int i = 0; i < RUNS; i++) {
            Start start = startOperator(jar, apiServerUrl, jvmOptions);
            startMillis.add(start.millisToReady());
            bootMillis.add(start.quarkusStartedMillis());
            idleRssMiB.add(start.idleRssMiB());
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

    private record Start(double millisToReady, double quarkusStartedMillis, double idleRssMiB) {
    }

    private static Start startOperator(Path jar, String apiServerUrl, List<String> jvmOptions) throws Exception {
        int port = freePort();
        Path log = Files.createTempFile("slipway-bench-operator", ".log");
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.addAll(jvmOptions);
        command.addAll(List.of("-Dquarkus.http.port=" + port,
                "-Dquarkus.kubernetes-client.api-server-url=" + apiServerUrl,
                "-Dquarkus.kubernetes-client.trust-certs=true",
                "-jar", jar.toString(), "operator"));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        long launched = System.nanoTime();
        Process operator = builder.start();
        try {
            awaitReady(operator, port, log);
            double millisToReady = (System.nanoTime() - launched) / 1e6;
            Thread.sleep(IDLE.toMillis());
            return new Start(millisToReady, quarkusStartedMillis(Files.readString(log)), residentMiB(operator.pid()));
        } finally {
            operator.destroy();
            if (!operator.waitFor(30, TimeUnit.SECONDS)) {
                operator.destroyForcibly();
            }
            Files.delete(log);
        }
    }

    private static void awaitReady(Process operator, int port, Path log) throws Exception {
        HttpRequest ready = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/q/health/ready"))
                .timeout(Duration.ofSeconds(2)).build();
        long deadline = System.nanoTime() + READINESS_LIMIT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!operator.isAlive()) {
                throw new IllegalStateException("the operator exited with " + operator.exitValue() + ":\n"
                        + Files.readString(log));
            }
            try {
                if (HTTP.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException notListeningYet) {
                // the HTTP server is not up yet
            }
            Thread.sleep(20);
        }
        throw new IllegalStateException("the operator was not ready within " + READINESS_LIMIT + ":\n"
                + Files.readString(log));
    }

    /** From Quarkus's "... started in 1.234s." line. */
    private static double quarkusStartedMillis(String log) {
        Matcher started = STARTED_IN.matcher(log);
        if (!started.find()) {
            throw new IllegalStateException("no \"started in\" line in the operator's log:\n" + log);
        }
        return Double.parseDouble(started.group(1)) * 1000;
    }

    private static double residentMiB(long pid) throws IOException {
        return Files.readAllLines(Path.of("/proc", String.valueOf(pid), "status")).stream()
                .filter(line -> line.startsWith("VmRSS:"))
                .map(line -> Long.parseLong(line.replaceAll("\\D", "")) / 1024.0)
                .findFirst().orElseThrow(() -> new IllegalStateException("no VmRSS for process " + pid));
    }

    private static void applyCrd(KubernetesClient client) throws IOException {
        try (InputStream crd = Files.newInputStream(Path.of("crds/managedupgrades.slipway.dev-v1.yml"))) {
            client.resource(client.getKubernetesSerialization().unmarshal(crd, CustomResourceDefinition.class)).create();
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
