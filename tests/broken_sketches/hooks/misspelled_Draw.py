# expect: line 2, "found a function named Draw: did you mean draw?"
def Draw():
    background("pink")
    circle(100, 100, 50)
