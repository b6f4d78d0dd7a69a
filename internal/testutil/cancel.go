// Package testutil holds helpers shared by the tests of several packages.
package testutil

import (
	"context"
	"errors"
	"testing"
	"time"
)

// CancelWhen runs call in the background with a context derived from ctx,
// cancels that context as soon as ready reports true, and returns call's
// error. It fails the test if call returns before it could be cancelled.
func CancelWhen(t testing.TB, ctx context.Context, ready func() bool, call func(ctx context.Context) error) error {
	t.Helper()
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	done := make(chan error, 1)
	go func() { done <- call(ctx) }()
	tick := time.NewTicker(2 * time.Millisecond)
	defer tick.Stop()
	for !ready() {
		select {
		case err := <-done:
			t.Fatalf("the call returned before the test could cancel it: %v", err)
		case <-tick.C:
		}
	}
	cancel()
	return <-done
}

// WantCanceled fails the test unless err has context.Canceled in its chain.
func WantCanceled(t testing.TB, err error) {
	t.Helper()
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("error = %v (%T), want context.Canceled in its chain", err, err)
	}
}
