package webhook

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"strconv"
	"strings"
	"time"
)

// secretPrefix starts every secret in its text form.
const secretPrefix = "whsec_"

// Secret is a signing key shared with one receiver.
type Secret []byte

// NewSecret returns a new random 32-byte secret.
func NewSecret() Secret {
	s := make(Secret, 32)
	_, _ = rand.Read(s) // never fails (crypto/rand)
	return s
}

// String returns s in the text form receivers configure: "whsec_" and the
// key in standard base64.
func (s Secret) String() string { return secretPrefix + base64.StdEncoding.EncodeToString(s) }

// ParseSecret reads a secret in its text form; the prefix may be omitted.
func ParseSecret(text string) (Secret, error) {
	key, err := base64.StdEncoding.DecodeString(strings.TrimPrefix(text, secretPrefix))
	if err != nil || len(key) < 24 || len(key) > 64 {
		return nil, errors.New("webhook: a secret is whsec_ and 24 to 64 bytes in base64")
	}
	return key, nil
}

// Sign returns the webhook-signature header value of a message: "v1,"
// and the base64 HMAC-SHA256 of "id.timestamp.body".
func (s Secret) Sign(id string, at time.Time, body []byte) string {
	mac := hmac.New(sha256.New, s)
	mac.Write([]byte(id + "." + strconv.FormatInt(at.Unix(), 10) + "."))
	mac.Write(body)
	return "v1," + base64.StdEncoding.EncodeToString(mac.Sum(nil))
}

// Tolerance is how far a message's timestamp may be from the receiver's
// clock; older or newer messages are refused as replays.
const Tolerance = 5 * time.Minute

// ErrSignature means a message's signature or timestamp does not verify.
var ErrSignature = errors.New("webhook: signature does not verify")

// Verify checks a received message as a receiver does: the timestamp
// within Tolerance of now, and one of the space-separated signatures
// matching. It returns ErrSignature otherwise.
func (s Secret) Verify(id, timestamp, signatures string, body []byte, now time.Time) error {
	sec, err := strconv.ParseInt(timestamp, 10, 64)
	if err != nil {
		return ErrSignature
	}
	at := time.Unix(sec, 0)
	if at.Before(now.Add(-Tolerance)) || at.After(now.Add(Tolerance)) {
		return ErrSignature
	}
	want := s.Sign(id, at, body)
	for _, got := range strings.Fields(signatures) {
		if hmac.Equal([]byte(got), []byte(want)) {
			return nil
		}
	}
	return ErrSignature
}
