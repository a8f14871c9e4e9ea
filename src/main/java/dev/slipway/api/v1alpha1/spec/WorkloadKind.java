package dev.slipway.api.v1alpha1.spec;


/** Kind of workload. */
public enum WorkloadKind {
    Deployment, StatefulSet
}
