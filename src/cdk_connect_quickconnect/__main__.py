"""``python -m cdk_connect_quickconnect``: the same command line as the ``cdk-connect-quickconnect`` script."""

from cdk_connect_quickconnect.cli import console_main

if __name__ == "__main__":
    console_main()
