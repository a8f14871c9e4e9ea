package dev.slipway.api.v1alpha1.spec;


/** What happens when a window closes during an upgrade. */
public enum WindowEndAction {
    Continue, Pause
}
