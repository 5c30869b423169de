package catalog

import "context"

// Actor is who performs a write, as the audit trail records it.
type Actor struct {
	// ID identifies the actor: an API key id, or a name such as "cli:import".
	ID string
	// Role is the actor's role: admin, verifier, analyst, vendor, anonymous or system.
	Role string
	// RequestID ties the write to a request log line, when there is one.
	RequestID string
}

// Anonymous is the actor of writes made without credentials.
var Anonymous = Actor{ID: "anonymous", Role: "anonymous"}

type actorKey struct{}

// WithActor returns ctx carrying the actor of the writes made with it.
func WithActor(ctx context.Context, a Actor) context.Context {
	return context.WithValue(ctx, actorKey{}, a)
}

// ActorFrom returns the actor ctx carries, or Anonymous.
func ActorFrom(ctx context.Context) Actor {
	if a, ok := ctx.Value(actorKey{}).(Actor); ok {
		return a
	}
	return Anonymous
}
