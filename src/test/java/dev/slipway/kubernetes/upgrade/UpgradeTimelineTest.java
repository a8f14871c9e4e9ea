package dev.slipway.kubernetes.upgrade;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slipway.api.page.PageStatus;
import dev.slipway.api.page.PageStatus.StepState;
import dev.slipway.api.v1alpha1.status.HistoryEntry;
import dev.slipway.api.v1alpha1.status.HopStatus;
import dev.slipway.api.v1alpha1.status.StepRecord;
import dev.slipway.api.v1alpha1.status.UpgradeProgress;
import dev.slipway.core.plan.HopReason;
import dev.slipway.core.upgrade.UpgradeFailure;
import dev.slipway.core.upgrade.UpgradeResult;
import dev.slipway.core.upgrade.UpgradeSequence.Position;
import dev.slipway.core.upgrade.UpgradeStep;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The page's view of a three-hop upgrade (1.0.0 → 1.1.0 → 1.2.0 → 2.0.0), built from the checkpoint alone. */
class UpgradeTimelineTest {

    private static final Instant START = Instant.parse("2026-12-05T02:00:00Z");
    private static final List<HopStatus> HOPS = List.of(new HopStatus("1.1.0", HopReason.RequiredStop, "2"),
            new HopStatus("1.2.0", HopReason.RequiredStop, "3"), new HopStatus("2.0.0", HopReason.Target, "4"));

    @Test
    void aMigrationOfTheSecondHopInProgressIsTheRunningStep() {
        UpgradeProgress progress = upgradeDoneUpTo(new Position(UpgradeStep.Migrate, 1), 10);
        PageStatus page = UpgradeTimeline.page("shop", progress, List.of(), START.plusSeconds(200));

        Map<String, StepState> states = page.steps().stream()
                .collect(Collectors.toMap(PageStatus.Step::name, PageStatus.Step::state));
        assertThat(states).containsEntry("Migrate 1.1.0", StepState.DONE)
                .containsEntry("QuiesceStop 1.1.0", StepState.DONE)
                .containsEntry("Migrate 1.2.0", StepState.RUNNING)
                .containsEntry("RollImages 1.2.0", StepState.WAITING)
                .containsEntry("Migrate 2.0.0", StepState.WAITING)
                .containsEntry("Resume", StepState.WAITING);
        assertThat(page.steps()).filteredOn(step -> step.state() == StepState.RUNNING).singleElement()
                .satisfies(step -> assertThat(step.startedAt()).isNotNull());
        assertThat(page.phase()).isEqualTo(PageStatus.Phase.IN_PROGRESS);
        assertThat(page.etaSeconds()).as("no history, no ETA").isNull();
    }

    @Test
    void theEtaCreditsTheTimeTheRunningMigrationHasAlreadyTaken() {
        // A past upgrade in which every step took 60 s.
        List<StepRecord> pastSteps = upgradeDoneUpTo(new Position(UpgradeStep.Record, 2), 60).getSteps().stream()
                .map(step -> step.finishedAt() != null ? step
                        : step.finished(Instant.parse(step.startedAt()).plusSeconds(60).toString()))
                .toList();
        HistoryEntry history = new HistoryEntry("0.9.0", "1.0.0", List.of("1.0.0"), START.minusSeconds(86_400).toString(),
                START.toString(), UpgradeResult.Succeeded, null, null, null, pastSteps);
        UpgradeProgress progress = upgradeDoneUpTo(new Position(UpgradeStep.Migrate, 1), 10);
        Instant migrationStarted = Instant.parse(UpgradeTimeline.record(progress, new Position(UpgradeStep.Migrate, 1))
                .orElseThrow().startedAt());

        long justStarted = UpgradeTimeline.page("shop", progress, List.of(history), migrationStarted).etaSeconds();
        long twentySecondsIn = UpgradeTimeline.page("shop", progress, List.of(history), migrationStarted.plusSeconds(20))
                .etaSeconds();

        assertThat(justStarted - twentySecondsIn).as("20 s of the running migration are credited").isEqualTo(20);
        // Migrate 1.2.0 (60), RollImages 1.2.0, StartStop, QuiesceStop, Migrate 2.0.0, RollImages 2.0.0, Resume,
        // RestoreTraffic, Record: 9 steps of 60 s, all still to run when the migration has just started.
        assertThat(justStarted).isEqualTo(9 * 60);
    }

    @Test
    void aFailedMigrationOfTheSecondHopIsMarkedFailedAndTheFirstHopStaysDone() {
        UpgradeProgress progress = upgradeDoneUpTo(new Position(UpgradeStep.Migrate, 1), 10);
        progress.setFailedStep(UpgradeStep.Migrate);
        progress.setFailedHop(1);
        progress.setFailureReason(UpgradeFailure.MigrationFailed);
        progress.setResult(UpgradeResult.Failed);

        PageStatus page = UpgradeTimeline.page("shop", progress, List.of(), START.plusSeconds(300));

        assertThat(page.phase()).isEqualTo(PageStatus.Phase.FAILED);
        assertThat(page.steps()).filteredOn(step -> step.state() == StepState.FAILED).extracting(PageStatus.Step::name)
                .containsExactly("Migrate 1.2.0");
        assertThat(page.message()).doesNotContain("notified").contains("administrator");
    }

    @Test
    void aRolledBackUpgradeTellsVisitorsTheApplicationIsBack() {
        UpgradeProgress progress = upgradeDoneUpTo(new Position(UpgradeStep.Migrate, 0), 10);
        progress.setFailedStep(UpgradeStep.Migrate);
        progress.setFailedHop(0);
        progress.setResult(UpgradeResult.RolledBack);
        progress.setStep(null);

        PageStatus page = UpgradeTimeline.page("shop", progress, List.of(), START.plusSeconds(300));

        assertThat(page.phase()).isEqualTo(PageStatus.Phase.RESTORED);
        assertThat(page.message()).contains("available again at version 1.0.0");
    }

    @Test
    void thePagesPlanShowsWhichHopRunsWithoutDowntime() {
        List<HopStatus> mixed = List.of(new HopStatus("1.1.0", HopReason.RequiredStop, "2", true),
                new HopStatus("2.0.0", HopReason.Target, "4"));
        UpgradeProgress progress = new UpgradeProgress();
        progress.setFrom("1.0.0");
        progress.setTo("2.0.0");
        progress.setHops(mixed);
        progress.setStartedAt(START.toString());
        progress.setSteps(new ArrayList<>());
        progress.setStep(UpgradeStep.RollOut);
        progress.setHop(0);
        progress.setStepStartedAt(START.toString());

        PageStatus page = UpgradeTimeline.page("shop", progress, List.of(), START.plusSeconds(5));

        assertThat(page.steps()).extracting(PageStatus.Step::name).containsExactly("Preflight", "Expand 1.1.0",
                "RollOut 1.1.0", "Soak 1.1.0", "Contract 1.1.0", "PageUp", "SwapTraffic", "Quiesce", "Migrate 2.0.0",
                "RollImages 2.0.0", "Resume", "RestoreTraffic", "Record");
        assertThat(page.steps()).filteredOn(step -> step.name().equals("RollOut 1.1.0")).singleElement()
                .satisfies(step -> assertThat(step.label()).isEqualTo("Rolling out 1.1.0 without downtime (hop 1 of 2)"));
    }

    /** A checkpoint at {@code current} (begun), every earlier step of the plan done, each taking {@code seconds}. */
    private static UpgradeProgress upgradeDoneUpTo(Position current, long seconds) {
        UpgradeProgress progress = new UpgradeProgress();
        progress.setFrom("1.0.0");
        progress.setTo("2.0.0");
        progress.setHops(HOPS);
        progress.setStartedAt(START.toString());
        List<StepRecord> steps = new ArrayList<>();
        Instant at = START;
        for (Position position : UpgradeTimeline.positions(HOPS.size(), false)) {
            String key = UpgradeTimeline.key(position, HOPS);
            if (position.equals(current)) {
                steps.add(new StepRecord(position.step(), position.recordedHop(), key, at.toString(), null));
                break;
            }
            steps.add(new StepRecord(position.step(), position.recordedHop(), key, at.toString(),
                    at.plusSeconds(seconds).toString()));
            at = at.plusSeconds(seconds);
        }
        progress.setSteps(steps);
        progress.setStep(current.step());
        progress.setHop(current.hop());
        progress.setStepStartedAt(at.toString());
        return progress;
    }
}
