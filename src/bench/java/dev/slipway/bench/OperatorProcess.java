package dev.slipway.bench;

import java.io.IOException;
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
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The packaged operator as its own process, {@code java <options> -jar quarkus-run.jar operator}, pointed at an API
 * server; its output goes to a temporary log file that is deleted when the process is stopped.
 */
record OperatorProcess(Process process, long launchedNanos, int port, Path logFile) implements AutoCloseable {

    /** The JVM options of src/main/docker/Dockerfile.jvm. */
    static final List<String> DOCKERFILE_OPTIONS = List.of("-XX:MaxRAMPercentage=75.0",
            "-Djava.util.logging.manager=org.jboss.logmanager.LogManager");
    /**
     * What the chart's 512Mi memory limit does to the JVM in the pod: it sizes the heap from the limit and, the limit
     * being below 1792 MB, does not count as a server-class machine and picks the Serial collector. Outside a
     * container -XX:MaxRAM only does the former (this 2-core, 24 GiB machine would get G1), hence both flags.
     */
    static final List<String> CONTAINER_LIMIT = List.of("-XX:MaxRAM=512m", "-XX:+UseSerialGC");
    static final List<String> AS_IN_CONTAINER = Stream.concat(CONTAINER_LIMIT.stream(), DOCKERFILE_OPTIONS.stream())
            .toList();
    private static final Duration READINESS_LIMIT = Duration.ofMinutes(2);
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

    static OperatorProcess launch(Path jar, String apiServerUrl, List<String> jvmOptions) throws IOException {
        return launch(jar, apiServerUrl, jvmOptions, Map.of(), List.of("operator"));
    }

    /**
     * The packaged application running {@code arguments} (a command such as {@code maintenance-page --port 0}) with
     * {@code environment} added to this process's; {@link #port()} is its Quarkus HTTP port (health, metrics).
     */
    static OperatorProcess launch(Path jar, String apiServerUrl, List<String> jvmOptions,
            Map<String, String> environment, List<String> arguments) throws IOException {
        int port = freePort();
        Path log = Files.createTempFile("slipway-bench-operator", ".log");
        List<String> command = new ArrayList<>(List.of(javaTool("java")));
        command.addAll(jvmOptions);
        command.addAll(List.of("-Dquarkus.http.port=" + port,
                "-Dquarkus.kubernetes-client.api-server-url=" + apiServerUrl,
                "-Dquarkus.kubernetes-client.trust-certs=true",
                "-jar", jar.toString()));
        command.addAll(arguments);
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().putAll(environment);
        long launched = System.nanoTime();
        return new OperatorProcess(builder.start(), launched, port, log);
    }

    /** Milliseconds from launching the process to {@code nanoTime} (a {@link System#nanoTime()} reading). */
    double millisSinceLaunch(long nanoTime) {
        return (nanoTime - launchedNanos) / 1e6;
    }

    /** Waits for the first 200 from /q/health/ready (polled every 20 ms); returns the milliseconds since launch. */
    double awaitReady() throws Exception {
        long deadline = launchedNanos + READINESS_LIMIT.toNanos();
        while (System.nanoTime() < deadline) {
            checkAlive();
            try {
                if (HTTP.send(request("/q/health/ready"), HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return millisSinceLaunch(System.nanoTime());
                }
            } catch (IOException notListeningYet) {
                // the HTTP server is not up yet
            }
            Thread.sleep(20);
        }
        throw new IllegalStateException("the operator was not ready within " + READINESS_LIMIT + ":\n" + log());
    }

    /** Throws, with the operator's log, if the process has exited. */
    void checkAlive() throws IOException {
        if (!process.isAlive()) {
            throw new IllegalStateException("the operator exited with " + process.exitValue() + ":\n" + log());
        }
    }

    /** The body of a GET on the operator's HTTP port, e.g. /q/metrics. */
    String get(String path) throws Exception {
        HttpResponse<String> response = HTTP.send(request(path), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("GET " + path + " answered " + response.statusCode());
        }
        return response.body();
    }

    /** Runs a diagnostic command in the operator's JVM ({@code jcmd <pid> GC.run}, say) and returns its output. */
    String jcmd(String... command) throws Exception {
        List<String> line = new ArrayList<>(List.of(javaTool("jcmd"), String.valueOf(process.pid())));
        line.addAll(List.of(command));
        Process jcmd = new ProcessBuilder(line).redirectErrorStream(true).start();
        String output = new String(jcmd.getInputStream().readAllBytes());
        if (jcmd.waitFor() != 0) {
            throw new IllegalStateException("jcmd " + String.join(" ", command) + " failed: " + output);
        }
        return output;
    }

    /** VmRSS from /proc/<pid>/status. */
    double residentMiB() throws IOException {
        return Files.readAllLines(Path.of("/proc", String.valueOf(process.pid()), "status")).stream()
                .filter(line -> line.startsWith("VmRSS:"))
                .map(line -> Long.parseLong(line.replaceAll("\\D", "")) / 1024.0)
                .findFirst().orElseThrow(() -> new IllegalStateException("no VmRSS for process " + process.pid()));
    }

    /** CPU time the process has used so far, user and system, from /proc/<pid>/stat (in clock ticks of 10 ms). */
    double cpuMillis() throws IOException {
        String stat = Files.readString(Path.of("/proc", String.valueOf(process.pid()), "stat"));
        // Fields after the command name, which is in parentheses and may contain spaces: utime and stime are 14 and 15.
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) * 10.0;
    }

    String log() throws IOException {
        return Files.readString(logFile);
    }

    @Override
    public void close() throws Exception {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
        Files.delete(logFile);
    }

    private HttpRequest request(String path) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(10))
                .build();
    }

    private static String javaTool(String name) {
        return Path.of(System.getProperty("java.home"), "bin", name).toString();
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
