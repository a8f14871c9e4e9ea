package dev.slipway.api.v1alpha1.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import java.util.List;

/** A recurring or one-off window: exactly one of days, monthDays, between. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class WindowSpec {

    @JsonPropertyDescription("Name shown in status.")
    private String name;

    @JsonPropertyDescription("Weekdays (Mon..Sun) on which the window starts.")
    private List<String> days;

    @JsonPropertyDescription("Days of month (1..31, or -1 for the last day) on which the window starts.")
    private List<Integer> monthDays;

    @JsonPropertyDescription("Local start time, HH:MM.")
    @Pattern("^([01][0-9]|2[0-3]):[0-5][0-9]$")
    private String startTime;

    @JsonPropertyDescription("Length of the window (30m to 168h).")
    @Pattern("^([0-9]+h)?([0-9]+m)?([0-9]+s)?$")
    private String duration;

    @JsonPropertyDescription("A one-off window between two instants.")
    private BetweenSpec between;

    public String getName() {
        return name;
    }

    public void setName(String name) {
        this.name = name;
    }

    public List<String> getDays() {
        return days;
    }

    public void setDays(List<String> days) {
        this.days = days;
    }

    public List<Integer> getMonthDays() {
        return monthDays;
    }

    public void setMonthDays(List<Integer> monthDays) {
        this.monthDays = monthDays;
    }

    public String getStartTime() {
        return startTime;
    }

    public void setStartTime(String startTime) {
        this.startTime = startTime;
    }

    public String getDuration() {
        return duration;
    }

    public void setDuration(String duration) {
        this.duration = duration;
    }

    public BetweenSpec getBetween() {
        return between;
    }

    public void setBetween(BetweenSpec between) {
        this.between = between;
    }
}
