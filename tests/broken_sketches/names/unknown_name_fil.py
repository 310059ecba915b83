# expect: line 4, "I don't know the name fil. Did you mean fill?"
def setup():
    background(240)
    fil("gold")
    circle(200, 200, 100)
