package dev.slipway.kubernetes.status;

/** Reasons of the Kubernetes Events Slipway emits; one enum so alerting rules can rely on them. */
public enum EventReason {
    PhaseChanged, UpgradeStarted, StepStarted, StepCompleted, StepFailed, UpgradeSucceeded, UpgradeRolledBack,
    UpgradeFailed, UpgradeAbandoned, UpgradePaused, UpgradeResumed, UpgradeDeferred, WindowOpened, WindowClosed, InvalidSpec, FeedError,
    DeletionBlocked, DeletionCleanedUp,
    Quiescing, SessionsTerminated,
    BackupTaken, BackupsNotPruned, BackupRestored, RestoreRefused, UpgradeRestored
}
