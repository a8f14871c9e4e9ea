package dev.slipway.cli;

import static dev.slipway.cli.UserApiServer.managedUpgrades;
import static org.assertj.core.api.Assertions.assertThat;

import dev.slipway.api.v1alpha1.ManagedUpgrade;
import dev.slipway.api.v1alpha1.spec.BackupMethod;
import dev.slipway.api.v1alpha1.spec.RestoreAction;
import dev.slipway.api.v1alpha1.status.BackupStatus;
import dev.slipway.api.v1alpha1.status.HistoryEntry;
import dev.slipway.api.v1alpha1.status.ManagedUpgradeStatus;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code slipway restore} against the CRUD API server with the user's RBAC enforced ({@link UserApiServer}), from the
 * up-to-date status golden case with a backup in its history: the request is checked as the operator checks it before
 * anything is written, then written as spec.actions.restore.
 */
class RestoreCommandTest {

    private static final UserApiServer.User ALICE = UserApiServer.User.withRules("alice",
            managedUpgrades("get", "list", "patch"));
    private static final String BACKUP = "wiki_slipway_3_1_0_20261125t010200z";
    private static final String WRITES_SINCE = "2026-11-25T01:08:30.250Z";

    @TempDir
    Path directory;

    private UserApiServer server;

    record Run(int exitCode, String out, String err) {
    }

    @BeforeEach
    void startServer() {
        server = new UserApiServer(ALICE);
    }

    @AfterEach
    void stopServer() {
        server.close();
    }

    @Test
    void aTimeThatIsNotTheOneInStatusIsRefusedBeforeAnyPatch() throws IOException {
        createWithBackup();

        Run run = run("--backup", BACKUP, "--writes-since", "2026-11-25T01:08:30Z");

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err().strip()).isEqualTo("error: restore of ManagedUpgrade shop/wiki refused:"
                + " --writes-since is 2026-11-25T01:08:30Z but backup " + BACKUP + " shows writesSince " + WRITES_SINCE
                + ": echo that time to confirm that the writes made since then are replaced");
        assertThat(server.requests()).noneMatch(request -> request.contains("PATCH"));
    }

    @Test
    void theLatestBackupWithItsWritesSinceEchoedIsWrittenAsTheRestoreAction() throws IOException {
        createWithBackup();

        Run run = run("--backup", BACKUP, "--writes-since", WRITES_SINCE);

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out().strip()).isEqualTo("ManagedUpgrade shop/wiki: spec.actions.restore.backup: (unset) → "
                + BACKUP + ", spec.actions.restore.writesSince: (unset) → " + WRITES_SINCE + " (requested by alice)."
                + " Next: the operator puts the maintenance page up, stops the application, restores " + BACKUP
                + " and starts the backup's version; the writes made since " + WRITES_SINCE + " are kept only in the"
                + " database it replaces. slipway status wiki -n shop follows it.");
        assertThat(stored().getSpec().getActions().getRestore()).isEqualTo(new RestoreAction(BACKUP, WRITES_SINCE));
    }

    @Test
    void aBackupOlderThanTheLatestIsRefusedNamingTheLatest() throws IOException {
        createWithBackup();

        Run run = run("--backup", "wiki_slipway_3_0_0_20261119t010200z", "--writes-since", WRITES_SINCE);

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).contains("--backup is wiki_slipway_3_0_0_20261119t010200z but the latest verified"
                + " backup is " + BACKUP);
    }

    @Test
    void aPgDumpBackupIsRestoredLikeATemplateCloneOneByTheDatabaseItIsRestoredInto() throws IOException {
        createWithBackup(BackupStatus.planned(BackupMethod.PgDump).namedJob(BACKUP, "wiki-backup-20261125010200",
                "backups:/backup/" + BACKUP + ".dump"));

        Run run = run("--backup", BACKUP, "--writes-since", WRITES_SINCE);

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(stored().getSpec().getActions().getRestore()).isEqualTo(new RestoreAction(BACKUP, WRITES_SINCE));
    }

    @Test
    void aCloudNativePgBackupIsRefusedWithTheWayToRestoreItByHand() throws IOException {
        String cnpgBackup = "wiki-db-slipway-20261125010200";
        createWithBackup(BackupStatus.planned(BackupMethod.CloudNativePG).namedCloudNativePGBackup(cnpgBackup));

        Run run = run("--backup", cnpgBackup, "--writes-since", WRITES_SINCE);

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).contains("--backup " + cnpgBackup + " was taken with CloudNativePG; Slipway restores "
                + "TemplateClone and PgDump backups only: to restore CloudNativePG Backup " + cnpgBackup,
                "bootstrap a new Cluster");
        assertThat(server.requests()).noneMatch(request -> request.contains("PATCH"));
    }

    /** The golden case whose last upgrade took a backup and gave traffic back at {@link #WRITES_SINCE}. */
    private void createWithBackup() {
        createWithBackup(BackupStatus.planned(BackupMethod.TemplateClone).named(BACKUP));
    }

    /** The golden case whose last upgrade took {@code named} (verified) and gave traffic back at {@link #WRITES_SINCE}. */
    private void createWithBackup(BackupStatus named) {
        ManagedUpgrade resource = StatusTextGoldenTest.read(StatusTextGoldenTest.CASES.resolve(
                "up-to-date-after-rollback"));
        ManagedUpgradeStatus status = resource.getStatus();
        List<HistoryEntry> history = new ArrayList<>(status.getHistory());
        HistoryEntry last = history.remove(history.size() - 1);
        history.add(new HistoryEntry(last.from(), last.to(), last.path(), last.startedAt(), last.finishedAt(),
                last.result(), last.override(), last.message(), last.appliedFixes(), last.steps(),
                named
                        .taken(8_000_000L, "2026-11-25T01:02:00Z", null).ofVersion("3.1.0").writesSince(WRITES_SINCE), null));
        status.setHistory(history);
        resource.setStatus(null);
        resource.getMetadata().setGeneration(null);
        ManagedUpgrade created = server.fixtures().resource(resource).create();
        created.setStatus(status);
        server.fixtures().resource(created).updateStatus();
    }

    private ManagedUpgrade stored() {
        return server.fixtures().resources(ManagedUpgrade.class).inNamespace("shop").withName("wiki").get();
    }

    private Run run(String... options) throws IOException {
        List<String> arguments = new ArrayList<>(List.of("wiki"));
        arguments.addAll(List.of(options));
        arguments.add("--kubeconfig");
        arguments.add(server.kubeconfig(directory, ALICE).toString());
        RestoreCommand command = new RestoreCommand();
        command.clock = StatusTextGoldenTest.CLOCK;
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exitCode = new CommandLine(command).setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true))
                .execute(arguments.toArray(String[]::new));
        return new Run(exitCode, out.toString(), err.toString());
    }
}
