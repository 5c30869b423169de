package telemetry

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/prometheus/client_golang/prometheus"
)

// poolCollector reports pgxpool statistics at each scrape.
type poolCollector struct {
	stat                                                                           func() *pgxpool.Stat
	conns, max, acquires, acquireWait, emptyAcquires, canceled, created, destroyed *prometheus.Desc
}

// PoolCollector reports the statistics of a pgx connection pool: connections
// by state, the pool size, acquisitions and the time spent waiting for them.
// Pass the pool's Stat method.
func PoolCollector(stat func() *pgxpool.Stat) prometheus.Collector {
	d := func(name, help string, labels ...string) *prometheus.Desc {
		return prometheus.NewDesc(prometheus.BuildFQName(Namespace, "db_pool", name), help, labels, nil)
	}
	return &poolCollector{
		stat:          stat,
		conns:         d("connections", "Connections of the PostgreSQL pool by state (acquired, idle, constructing).", "state"),
		max:           d("max_connections", "Size limit of the PostgreSQL pool."),
		acquires:      d("acquires_total", "Connections acquired from the pool."),
		acquireWait:   d("acquire_wait_seconds_total", "Time spent acquiring connections, including waiting for a free one."),
		emptyAcquires: d("empty_acquires_total", "Acquisitions that had to wait because no connection was idle."),
		canceled:      d("canceled_acquires_total", "Acquisitions abandoned because their context ended."),
		created:       d("new_connections_total", "Connections opened."),
		destroyed:     d("destroyed_connections_total", "Connections closed for their age or idleness, by reason.", "reason"),
	}
}

func (c *poolCollector) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range []*prometheus.Desc{c.conns, c.max, c.acquires, c.acquireWait, c.emptyAcquires, c.canceled, c.created, c.destroyed} {
		ch <- d
	}
}

func (c *poolCollector) Collect(ch chan<- prometheus.Metric) {
	s := c.stat()
	gauge := func(d *prometheus.Desc, v float64, labels ...string) {
		ch <- prometheus.MustNewConstMetric(d, prometheus.GaugeValue, v, labels...)
	}
	counter := func(d *prometheus.Desc, v float64, labels ...string) {
		ch <- prometheus.MustNewConstMetric(d, prometheus.CounterValue, v, labels...)
	}
	gauge(c.conns, float64(s.AcquiredConns()), "acquired")
	gauge(c.conns, float64(s.IdleConns()), "idle")
	gauge(c.conns, float64(s.ConstructingConns()), "constructing")
	gauge(c.max, float64(s.MaxConns()))
	counter(c.acquires, float64(s.AcquireCount()))
	counter(c.acquireWait, s.AcquireDuration().Seconds())
	counter(c.emptyAcquires, float64(s.EmptyAcquireCount()))
	counter(c.canceled, float64(s.CanceledAcquireCount()))
	counter(c.created, float64(s.NewConnsCount()))
	counter(c.destroyed, float64(s.MaxLifetimeDestroyCount()), "max_lifetime")
	counter(c.destroyed, float64(s.MaxIdleDestroyCount()), "max_idle")
}

// Backlog is the state of the search outbox, as package search reads it.
type Backlog struct {
	// Rows waiting to reach the index, and among them those being retried.
	Rows, Retrying int64
	// OldestAge is how long the oldest row has waited; 0 when there is none.
	OldestAge time.Duration
}

// outboxCollector reads the search outbox backlog at each scrape.
type outboxCollector struct {
	read                    func(context.Context) (Backlog, error)
	timeout                 time.Duration
	rows, retrying, age, up *prometheus.Desc
}

// OutboxCollector reports the search outbox backlog: its rows, the rows
// being retried, the age of the oldest (the lag of the index behind the
// database), and whether it could be read. read is called at each scrape,
// bounded by timeout.
func OutboxCollector(read func(context.Context) (Backlog, error), timeout time.Duration) prometheus.Collector {
	d := func(name, help string) *prometheus.Desc {
		return prometheus.NewDesc(prometheus.BuildFQName(Namespace, "search_outbox", name), help, nil, nil)
	}
	return &outboxCollector{
		read: read, timeout: timeout,
		rows:     d("rows", "Catalogue changes waiting to reach the search index."),
		retrying: d("retrying_rows", "Outbox rows whose documents Meilisearch rejected, waiting for their next attempt."),
		age:      d("oldest_age_seconds", "Age of the oldest outbox row: how far the search index lags behind PostgreSQL (0 when in step)."),
		up:       d("up", "1 when the outbox backlog could be read at this scrape, 0 when not."),
	}
}

func (c *outboxCollector) Describe(ch chan<- *prometheus.Desc) {
	ch <- c.rows
	ch <- c.retrying
	ch <- c.age
	ch <- c.up
}

func (c *outboxCollector) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), c.timeout)
	defer cancel()
	b, err := c.read(ctx)
	if err != nil {
		ch <- prometheus.MustNewConstMetric(c.up, prometheus.GaugeValue, 0)
		return
	}
	ch <- prometheus.MustNewConstMetric(c.up, prometheus.GaugeValue, 1)
	ch <- prometheus.MustNewConstMetric(c.rows, prometheus.GaugeValue, float64(b.Rows))
	ch <- prometheus.MustNewConstMetric(c.retrying, prometheus.GaugeValue, float64(b.Retrying))
	ch <- prometheus.MustNewConstMetric(c.age, prometheus.GaugeValue, b.OldestAge.Seconds())
}
