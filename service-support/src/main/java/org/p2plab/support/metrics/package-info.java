/** Metric conventions: {@link org.p2plab.support.metrics.P2pMetrics} and the common tags. */
package org.p2plab.support.metrics;
