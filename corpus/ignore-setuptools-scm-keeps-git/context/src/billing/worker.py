def main():
    print("worker")
