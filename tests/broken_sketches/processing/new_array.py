# expect: line 2, "In Python this line is:  speeds = [0] * 10"
float[] speeds = new float[10];


def setup():
    for i in range(10):
        speeds[i] = random(1, 5)
