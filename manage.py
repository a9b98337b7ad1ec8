#!/usr/bin/env python
import os
import sys


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "trainingmgr.settings")
    if sys.argv[1:2] == ["import_spreadsheet"]:
        # The workbook is checked and parsed while Django starts (imports/read_ahead.py), and
        # the interpreter's teardown skips its garbage collections (trainingmgr/collector.py).
        from imports.read_ahead import start
        from trainingmgr.collector import ending_process

        start(sys.argv[2:])
        with ending_process():
            execute()
        return
    execute()


def execute():
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
