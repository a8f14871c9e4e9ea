package dev.slipway.kubernetes.upgrade;

import dev.slipway.api.v1alpha1.status.HistoryEntry;
import dev.slipway.api.v1alpha1.status.HopStatus;
import dev.slipway.api.v1alpha1.status.ManagedUpgradeStatus;
import dev.slipway.api.v1alpha1.status.UpgradeProgress;
import dev.slipway.core.upgrade.UpgradeResult;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** {@code status.history}: one entry per ended upgrade, newest last, bounded. */
final class UpgradeHistory {

    static final int LIMIT = 20;

    private UpgradeHistory() {
    }

    /** Appends the upgrade's entry unless it is there already (a status write retried after a conflict, say). */
    static void append(ManagedUpgradeStatus status, UpgradeProgress progress, UpgradeResult result, Instant now) {
        List<HistoryEntry> history = status.getHistory() == null ? new ArrayList<>() : new ArrayList<>(status.getHistory());
        if (history.stream().anyMatch(h -> Objects.equals(h.startedAt(), progress.getStartedAt()))) {
            return;
        }
        history.add(new HistoryEntry(progress.getFrom(), progress.getTo(),
                progress.getHops().stream().map(HopStatus::version).toList(), progress.getStartedAt(), now.toString(),
                result, progress.getOverride(), progress.getFailureMessage(), progress.getAppliedFixes(),
                progress.getSteps(), progress.getBackup() != null && progress.getBackup().wasTaken()
                        ? progress.getBackup() : null, progress.getRequestedBy()));
        status.setHistory(history.size() > LIMIT ? history.subList(history.size() - LIMIT, history.size()) : history);
    }
}
