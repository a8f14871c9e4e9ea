package dev.slipway.http.page;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slipway.api.page.PageStatus.Phase;
import dev.slipway.api.page.PageStatus.StepState;
import dev.slipway.api.page.PageStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class PageStatusTest {

    @Test
    void whatTheOperatorWritesThePageReadsBack() {
        PageStatus status = PageStatusFixtures.migrating(2, 300L);

        assertThat(PageStatus.fromJson(status.toJson())).contains(status);
    }

    @Test
    void jsonUsesTheContractsNamesAndIsoTimesAndLeavesOutUnknownValues() {
        String json = PageStatusFixtures.migrating(1, null).toJson();

        assertThat(json).startsWith("{\"product\":\"Acme CRM\",\"fromVersion\":\"1.1.0\",\"toVersion\":\"2.0.1\","
                        + "\"phase\":\"InProgress\",\"startedAt\":\"2026-03-14T09:00:00Z\"")
                .contains("{\"name\":\"step-2\",\"label\":\"Migrating database to 1.2.0 (hop 1 of 3)\","
                        + "\"state\":\"Running\",\"startedAt\":\"2026-03-14T09:01:00Z\"}")
                .contains("\"state\":\"Done\"", "\"state\":\"Waiting\"")
                .doesNotContain("etaSeconds", "message", "null");
    }

    @Test
    void readingIgnoresFieldsItDoesNotKnowAndTreatsUnknownStepStatesAsWaiting() {
        String newerOperator = """
                {"product": "Acme CRM", "phase": "Completed", "rollbackPlan": {"steps": 3}, "steps": [
                  {"name": "verify", "label": "Verifying", "state": "Skipped", "attempts": 2}]}""";

        PageStatus status = PageStatus.fromJson(newerOperator).orElseThrow();

        assertThat(status.phase()).isEqualTo(Phase.COMPLETED);
        assertThat(status.steps()).singleElement().satisfies(step -> {
            assertThat(step.label()).isEqualTo("Verifying");
            assertThat(step.state()).isEqualTo(StepState.WAITING);
        });
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {" ", "not json", "[]", "{\"product\": \"Acme CRM\"}", "{\"phase\": \"Exploded\"}",
            "{\"phase\": \"InProgress\", \"steps\": [", "{\"phase\": \"InProgress\", \"etaSeconds\": \"soon\"}"})
    void anythingUnusableReadsAsNoStatus(String json) {
        assertThat(PageStatus.fromJson(json)).isEmpty();
    }

    @Test
    void aStatusWithoutStepsHasAnEmptyPlan() {
        assertThat(PageStatus.fromJson("{\"phase\": \"Waiting\"}").orElseThrow().steps()).isEmpty();
    }
}
