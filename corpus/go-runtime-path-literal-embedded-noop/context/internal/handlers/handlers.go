package handlers

const Name = "handlers"
