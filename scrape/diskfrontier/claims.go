package diskfrontier

import (
	"bytes"

	bolt "go.etcd.io/bbolt"
)

// bucketClaims holds the redirect targets each lease claimed (MarkSeen's
// by): the claimer's owner key (ownerKey) followed by the target's seen key
// → nothing. The target's seen value (stateMarked) carries the owner key
// too, so that a claim is undone only while the target is still that
// lease's mark.
var bucketClaims = []byte("claims")

// ownerKey is the claimer's part of a claim: the first keyLen bytes of its
// seen key, so that it fits in a seen value in place of a queue key.
func ownerKey(url string) []byte { return seenKey(url)[:keyLen] }

// claimKey is bucketClaims' key of owner's claim of the URL whose seen key
// is sk.
func claimKey(owner, sk []byte) []byte {
	return append(append(make([]byte, 0, len(owner)+len(sk)), owner...), sk...)
}

// claimsOf returns the seen keys of the targets owner claimed.
func claimsOf(tx *bolt.Tx, owner []byte) [][]byte {
	var sks [][]byte
	c := tx.Bucket(bucketClaims).Cursor()
	for k, _ := c.Seek(owner); k != nil && bytes.HasPrefix(k, owner); k, _ = c.Next() {
		sks = append(sks, append([]byte(nil), k[len(owner):]...))
	}
	return sks
}

// dropClaims forgets owner's claims, leaving its targets seen: its lease
// was acked, so they are done for good as part of its record.
func dropClaims(tx *bolt.Tx, owner []byte) error {
	claims := tx.Bucket(bucketClaims)
	for _, sk := range claimsOf(tx, owner) {
		if err := claims.Delete(claimKey(owner, sk)); err != nil {
			return err
		}
	}
	return nil
}

// undoClaims unmarks the targets owner claimed that are still its marks
// (not queued since, nor claimed again by another lease) and forgets its
// claims: its lease is handed out again, and that fetch must be able to
// follow its redirects. It returns how many URLs it unmarked.
func undoClaims(tx *bolt.Tx, owner []byte) (int, error) {
	seen, claims := tx.Bucket(bucketSeen), tx.Bucket(bucketClaims)
	n := 0
	for _, sk := range claimsOf(tx, owner) {
		if v := seen.Get(sk); v != nil && v[0] == stateMarked && bytes.Equal(v[1:], owner) {
			if err := seen.Delete(sk); err != nil {
				return n, err
			}
			n++
		}
		if err := claims.Delete(claimKey(owner, sk)); err != nil {
			return n, err
		}
	}
	return n, nil
}
