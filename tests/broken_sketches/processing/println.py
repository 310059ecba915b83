# expect: line 3, "In Python, write  print(frame_count)"
def draw():
    println(frame_count)
    circle(200, 200, 50)
