test("orders", () => expect(1).toBe(1));
