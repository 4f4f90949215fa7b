package rotation_test

import (
	"errors"
	"fmt"
	"time"

	"github.com/authfetch/authfetch/server/rotation"
)

// A token endpoint with a 30 s grace window: a client that lost the answer of
// its refresh presents the spent token again and gets the same pair; a copy
// presented a minute later is theft, and the whole login is revoked.
func Example() {
	now := time.Date(2026, 1, 2, 12, 0, 0, 0, time.UTC)
	families := rotation.New(rotation.Options{
		GraceWindow: 30 * time.Second,
		Now:         func() time.Time { return now },
	})
	families.Start("login-1", "r1") // at the login

	minted := 1
	issue := func(family string) (rotation.Pair, error) { // mints a pair for family's user
		minted++
		return rotation.Pair{AccessToken: fmt.Sprint("a", minted), RefreshToken: fmt.Sprint("r", minted)}, nil
	}

	rot, err := families.Rotate("r1", issue)
	fmt.Println("refresh:", rot.Pair.AccessToken, rot.Pair.RefreshToken, err)

	now = now.Add(2 * time.Second) // the tab closed before the answer came; another tab tries r1
	rot, err = families.Rotate("r1", issue)
	fmt.Println("replay within the window:", rot.Pair.AccessToken, rot.Pair.RefreshToken, rot.Replayed, err)

	now = now.Add(time.Minute) // someone else kept a copy of r1
	_, err = families.Rotate("r1", issue)
	fmt.Println("a minute later:", errors.Is(err, rotation.ErrReused), "revoked:", families.Revoked("login-1"))

	_, err = families.Rotate("r2", issue)
	fmt.Println("the successor:", err)
	// Output:
	// refresh: a2 r2 <nil>
	// replay within the window: a2 r2 true <nil>
	// a minute later: true revoked: true
	// the successor: rotation: refresh token of a revoked family
}
