//go:build !unix

package echo

// rawReads says that connReader reads with net.Conn.Read here: the
// runtime's RawConn cannot park a reader without a buffer on this system.
const rawReads = false

// readFd is not used where rawReads is false.
func (r *connReader) readFd(uintptr) bool { return true }
