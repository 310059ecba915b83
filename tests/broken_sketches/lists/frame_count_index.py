# expect: line 6, "Counting starts at 0, so the last one is colours[2]"
colours = ["red", "gold", "teal"]


def draw():
    background(colours[frame_count])
