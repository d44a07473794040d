package tanma

// Waiting returns how many callers wait on shared calls in flight (tests).
func Waiting(c *Client) int {
	c.inFlight.mu.Lock()
	defer c.inFlight.mu.Unlock()
	n := 0
	for _, f := range c.inFlight.m {
		n += f.waiters
	}
	return n
}
