/**
 * Stockade's core: the exact meaning of Kubernetes NetworkPolicy (v1 and the 2016
 * {@code net.alpha.kubernetes.io/v1alpha1} API), the compiled per-node rule model, the incremental
 * engine and the verdict evaluator.
 *
 * <p>Framework-free by rule (Checkstyle import-control): inputs are the records of
 * {@link dev.stockade.core.model}, outputs the records of {@link dev.stockade.core.compiled}.
 * Parsing Kubernetes YAML/JSON, Kafka, Infinispan and nftables all live in adapters.
 */
package dev.stockade.core;
