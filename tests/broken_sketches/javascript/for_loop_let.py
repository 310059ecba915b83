# expect: line 5, "In Python this line is:  for i in range(10):"
def setup():
    size(400, 400)
    background("navy")
    for (let i = 0; i < 10; i++) {
        circle(i * 40 + 20, 200, 30)
    }
