# expect: line 3, "In Python this line is:  if key == "r":"
def key_pressed():
    if key === "r":
        background("red")
