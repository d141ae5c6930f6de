package executor

import (
	"bytes"
	"encoding/gob"
	"fmt"
)

// encodeValue encodes v for the trip to or from a worker process.
func encodeValue(v any) ([]byte, error) {
	var buf bytes.Buffer
	if err := gob.NewEncoder(&buf).Encode(v); err != nil {
		return nil, fmt.Errorf("%w %T: %w", ErrEncode, v, err)
	}
	return buf.Bytes(), nil
}

// decodeValue decodes what encodeValue made into the value ptr points to.
func decodeValue(data []byte, ptr any) error {
	if err := gob.NewDecoder(bytes.NewReader(data)).Decode(ptr); err != nil {
		return fmt.Errorf("%w: decode into %T: %w", ErrEncode, ptr, err)
	}
	return nil
}
