#!/usr/bin/env python3
"""Writes N valid person rows (import format, CSV with BOM) for the benchmarks, and
the regions they live in. Usage: gen_people.py N people.csv regions.csv"""
import random
import sys

WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦方白邹孟熊秦邱江尹薛"
GIVEN = "伟强军勇磊涛斌杰鹏建国明华平刚辉波宁峰超亮健成志东林海鑫芳娜敏静丽艳娟霞秀英红玲梅"


def id_number(rng, used):
    while True:
        body = "%s%04d%02d%02d%03d" % (rng.choice(["420106", "420111", "420102", "421181"]),
                                      rng.randint(1940, 2003), rng.randint(1, 12),
                                      rng.randint(1, 28), rng.randint(0, 999))
        if body not in used:
            used.add(body)
            s = sum(int(c) * w for c, w in zip(body, WEIGHTS)) % 11
            return body + "10X98765432"[s]


def main():
    n, people, regions = int(sys.argv[1]), sys.argv[2], sys.argv[3]
    rng = random.Random(1)
    streets = [("420199%03d" % s, "街道%02d" % s) for s in range(1, 15)]
    with open(regions, "w", encoding="utf-8") as f:
        f.write("区划代码,名称,上级区划代码\n420199,示范区,\n")
        for code, name in streets:
            f.write("%s,%s,420199\n" % (code, name))
            for c in range(1, 7):
                f.write("%s%03d,%s社区%d,%s\n" % (code, c, name, c, code))
    used = set()
    with open(people, "w", encoding="utf-8-sig", newline="") as f:
        f.write("姓名,身份证号,人员类别,联系电话,街道,社区,住址,入伍时间,退役时间,安置方式,"
                "残疾等级,残疾性质,开户银行,银行账号,备注\r\n")
        for i in range(n):
            code, street = rng.choice(streets)
            name = rng.choice(SURNAMES) + rng.choice(GIVEN) + (rng.choice(GIVEN) if rng.random() < 0.6 else "")
            year = rng.randint(1960, 2010)
            f.write("%s,%s,退役军人,1%d%09d,%s,%s社区%d,光明路%d号,%d-09,%d-12,自主就业,,,中国工商银行,6222%015d,\r\n" % (
                name, id_number(rng, used), rng.randint(3, 9), rng.randint(0, 999999999), street,
                street, rng.randint(1, 6), rng.randint(1, 500), year, year + 4, rng.randint(0, 10**15 - 1)))


main()
