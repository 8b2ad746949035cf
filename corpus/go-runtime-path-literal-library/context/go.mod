module example.com/minifier

go 1.19
