// netprobe: the traffic source and target of NetworkIsolationIT. It serves HTTP on :8080; the test
// (on the node, which NetworkPolicies always admit) asks it GET /connect?to=HOST:PORT and it answers
// "reached <first line of the answer>" when a TCP connection to HOST:PORT opened from this pod, or
// "blocked <error>" when none did. Any other path answers "netprobe <hostname>".
package main

import (
	"bufio"
	"fmt"
	"net"
	"net/http"
	"os"
	"strings"
	"time"
)

func connect(w http.ResponseWriter, r *http.Request) {
	to := r.URL.Query().Get("to")
	path := r.URL.Query().Get("path")
	if path == "" {
		path = "/"
	}
	c, err := net.DialTimeout("tcp", to, 2*time.Second)
	if err != nil {
		fmt.Fprintf(w, "blocked %v\n", err)
		return
	}
	defer c.Close()
	_ = c.SetDeadline(time.Now().Add(2 * time.Second))
	fmt.Fprintf(c, "GET %s HTTP/1.0\r\nHost: %s\r\n\r\n", path, to)
	line, _ := bufio.NewReader(c).ReadString('\n')
	fmt.Fprintf(w, "reached %s\n", strings.TrimSpace(line))
}

func main() {
	host, _ := os.Hostname()
	http.HandleFunc("/connect", connect)
	http.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(w, "netprobe %s\n", host)
	})
	if err := http.ListenAndServe(":8080", nil); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
