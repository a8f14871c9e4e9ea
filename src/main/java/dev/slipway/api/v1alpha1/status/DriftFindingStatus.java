package dev.slipway.api.v1alpha1.status;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.List;
import java.util.Objects;

/** One schema drift finding. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class DriftFindingStatus {

    @JsonPropertyDescription("Kind of object and problem.")
    private String category;

    @JsonPropertyDescription("The object concerned.")
    private String object;

    @JsonPropertyDescription("Blocking, Fixable or Warning.")
    private String severity;

    @JsonPropertyDescription("What differs.")
    private String problem;

    @JsonPropertyDescription("Suggested SQL.")
    private List<String> statements;

    public String getCategory() {
        return category;
    }

    public void setCategory(String category) {
        this.category = category;
    }

    public String getObject() {
        return object;
    }

    public void setObject(String object) {
        this.object = object;
    }

    public String getSeverity() {
        return severity;
    }

    public void setSeverity(String severity) {
        this.severity = severity;
    }

    public String getProblem() {
        return problem;
    }

    public void setProblem(String problem) {
        this.problem = problem;
    }

    public List<String> getStatements() {
        return statements;
    }

    public void setStatements(List<String> statements) {
        this.statements = statements;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof DriftFindingStatus other)) {
            return false;
        }
        return Objects.equals(category, other.category)
            && Objects.equals(object, other.object)
            && Objects.equals(severity, other.severity)
            && Objects.equals(problem, other.problem)
            && Objects.equals(statements, other.statements);
    }

    @Override
    public int hashCode() {
        return Objects.hash(category, object, severity, problem, statements);
    }
}
