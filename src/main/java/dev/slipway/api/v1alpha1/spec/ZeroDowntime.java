package dev.slipway.api.v1alpha1.spec;

/** Whether hops whose release declares backward-compatible migrations may run without the maintenance page. */
public enum ZeroDowntime {
    /** Such hops roll without page or quiesce (expand, rolling update, soak, contract). */
    Allowed,
    /** Every hop runs behind the maintenance page, as releases without a declaration do. */
    Never
}
