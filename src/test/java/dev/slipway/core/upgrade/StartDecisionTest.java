package dev.slipway.core.upgrade;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slipway.core.upgrade.StartDecision.Decision;
import dev.slipway.core.upgrade.StartDecision.Facts;
import dev.slipway.core.upgrade.StartDecision.Outcome;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The start decision as a table: approval first, then pause, then the window, which only start-now overrides. */
class StartDecisionTest {

    @ParameterizedTest(name = "manual={0} approved={1} paused={2} window={3} startNow={4} -> {5} override={6}")
    @CsvSource({
            // manual, approved, paused, window, startNow, outcome, override
            "false, false, false, true,  false, Start,           false",
            "false, false, false, false, false, WaitForWindow,   false",
            "false, false, false, false, true,  Start,           true",
            "false, false, false, true,  true,  Start,           false",
            "false, false, true,  true,  false, Paused,          false",
            "false, false, true,  false, true,  Paused,          false",
            "true,  false, false, true,  false, WaitForApproval, false",
            "true,  false, false, false, true,  WaitForApproval, false",
            "true,  false, true,  true,  true,  WaitForApproval, false",
            "true,  true,  false, true,  false, Start,           false",
            "true,  true,  false, false, false, WaitForWindow,   false",
            "true,  true,  false, false, true,  Start,           true",
            "true,  true,  true,  true,  false, Paused,          false",
    })
    void decides(boolean manual, boolean approved, boolean paused, boolean window, boolean startNow, Outcome outcome,
            boolean override) {
        assertThat(StartDecision.decide(new Facts(manual, approved, paused, window, startNow)))
                .isEqualTo(new Decision(outcome, override));
    }
}
