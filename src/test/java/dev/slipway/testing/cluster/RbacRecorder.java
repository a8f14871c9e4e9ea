package dev.slipway.testing.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * What the operator did with its permissions, per test class: one line per (API group, resource[/subresource], verb,
 * scope, how, decision), written to {@code target/rbac-usage/<test class>.txt} after each test, so that
 * {@code RbacChartUsageIT} can compare the union over the whole suite with what the chart grants. "delegated" lines
 * are permissions the operator did not use itself but handed on in a Role or RoleBinding it created: the API server's
 * escalation check requires it to hold them.
 */
public final class RbacRecorder {

    /** Where usage files go; one directory per build. */
    public static final Path DIRECTORY = Path.of("target", "rbac-usage");
    /** Identifies one Maven invocation (set by the pom from maven.build.timestamp), so stale files are not mixed in. */
    public static final String RUN = System.getProperty("slipway.rbac.run", "local");

    /** One permission used; {@code apiGroup} is "core" for the core group. */
    public record Usage(String apiGroup, String resource, String verb, boolean namespaced, boolean delegated,
            boolean allowed) {

        static Usage of(String apiGroup, String resource, String verb, boolean namespaced, boolean delegated,
                boolean allowed) {
            return new Usage(apiGroup.isEmpty() ? "core" : apiGroup, resource, verb, namespaced, delegated, allowed);
        }

        /** The permission alone, as a rule grants it: {@code apps deployments/scale patch}. */
        public String permission() {
            return apiGroup + " " + resource + " " + verb;
        }

        String line() {
            return permission() + " " + (namespaced ? "namespaced" : "cluster") + " "
                    + (delegated ? "delegated" : "used") + " " + (allowed ? "allowed" : "REFUSED");
        }

        static Usage parse(String line) {
            String[] words = line.split(" ");
            return new Usage(words[0], words[1], words[2], words[3].equals("namespaced"), words[4].equals("delegated"),
                    words[5].equals("allowed"));
        }
    }

    /** The usage of one test class, as read back from its file. */
    public record Report(String testClass, String run, String mode, Set<Usage> usages) {
    }

    private static final RbacRecorder INSTANCE = new RbacRecorder();

    private final Map<String, Set<Usage>> byTestClass = new ConcurrentHashMap<>();
    private final List<String> refusals = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final Map<String, String> modes = new ConcurrentHashMap<>();
    private volatile String current = "unattributed";

    private RbacRecorder() {
    }

    /** The recorder of this class loader (one per Quarkus application, so per operator test class or group of them). */
    public static RbacRecorder get() {
        return INSTANCE;
    }

    /** Attributes what follows to {@code testClass}, whose operator runs in {@code mode}. */
    public void testClass(Class<?> testClass, String mode) {
        current = testClass.getName();
        modes.put(current, mode);
        byTestClass.computeIfAbsent(current, name -> ConcurrentHashMap.newKeySet());
    }

    void record(Usage usage, String request) {
        byTestClass.computeIfAbsent(current, name -> ConcurrentHashMap.newKeySet()).add(usage);
        if (!usage.allowed()) {
            refusals.add(request);
        }
    }

    /** The operator's requests RBAC refused since the last call (each with the API server's message), then forgets them. */
    public List<String> takeRefusals() {
        List<String> taken = List.copyOf(refusals);
        refusals.removeAll(taken);
        return taken;
    }

    /** Writes the usage of every test class seen so far. */
    public synchronized void flush() {
        try {
            Files.createDirectories(DIRECTORY);
            for (Map.Entry<String, Set<Usage>> entry : byTestClass.entrySet()) {
                List<String> lines = new ArrayList<>();
                lines.add("# run " + RUN);
                lines.add("# mode " + modes.getOrDefault(entry.getKey(), "unknown"));
                entry.getValue().stream().map(Usage::line).sorted().distinct().forEach(lines::add);
                Files.write(DIRECTORY.resolve(entry.getKey() + ".txt"), lines);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the RBAC usage under " + DIRECTORY, e);
        }
    }

    /** Every usage file in {@code directory} (none when it does not exist). */
    public static List<Report> read(Path directory) {
        if (!Files.isDirectory(directory)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(directory)) {
            List<Report> reports = new ArrayList<>();
            for (Path file : files.filter(file -> file.toString().endsWith(".txt")).sorted().toList()) {
                List<String> lines = Files.readAllLines(file);
                String name = file.getFileName().toString();
                reports.add(new Report(name.substring(0, name.length() - ".txt".length()),
                        lines.get(0).substring("# run ".length()), lines.get(1).substring("# mode ".length()),
                        Set.copyOf(lines.subList(2, lines.size()).stream().map(Usage::parse).toList())));
            }
            return reports;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the RBAC usage under " + directory, e);
        }
    }
}
