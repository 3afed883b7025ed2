module wingu.local/netprobe

go 1.22
