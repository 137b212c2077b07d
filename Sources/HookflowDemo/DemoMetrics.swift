import Prometheus

/// The registry `GET /metrics` shows.
enum DemoMetrics {
    static let registry = PrometheusCollectorRegistry()
}
