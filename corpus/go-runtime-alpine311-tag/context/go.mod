module example.com/hello

go 1.13
